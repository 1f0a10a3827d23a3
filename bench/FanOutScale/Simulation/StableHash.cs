namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// Hashes and random draws that come out the same in every process and on every machine: FNV-1a over the string's
/// UTF-16 code units, and SplitMix64 for draws keyed by a seed and a sequence number, which needs no shared state.
/// </summary>
internal static class StableHash
{
    private const double ToUnit = 1.0 / (1UL << 53);

    /// <summary>A value in [0, 1) that depends on <paramref name="value"/> alone.</summary>
    public static double Fraction(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in value)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return (Mix(hash) >> 11) * ToUnit;
    }

    /// <summary>The <paramref name="index"/>th uniform draw in [0, 1) of the stream keyed by <paramref name="seed"/> and <paramref name="sequence"/>.</summary>
    public static double Uniform(ulong seed, ulong sequence, ulong index) =>
        (Mix(seed ^ Mix(sequence * 0x9E3779B97F4A7C15UL + index)) >> 11) * ToUnit;

    // SplitMix64's finaliser: every input bit flips about half the output bits.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
