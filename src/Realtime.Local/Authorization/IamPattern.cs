namespace Realtime.Local.Authorization;

/// <summary>
/// IAM's wildcard matching for policy actions and resources: <c>*</c> matches any run of characters, including
/// <c>/</c>; <c>?</c> matches one character; everything else matches itself. So <c>.../prod/*</c> matches
/// <c>.../prod/$connect</c>, while <c>.../prod/*/*</c> (a REST habit) does not.
/// </summary>
public static class IamPattern
{
    public static bool Matches(string pattern, string value, StringComparison comparison = StringComparison.Ordinal)
    {
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || string.Compare(pattern, p, value, v, 1, comparison) == 0))
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
