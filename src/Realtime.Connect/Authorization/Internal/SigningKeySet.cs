using System.Diagnostics.CodeAnalysis;
using Microsoft.IdentityModel.Tokens;

namespace Realtime.Connect.Authorization.Internal;

/// <summary>The usable keys of one JWKS document, by <c>kid</c>, and when they were fetched.</summary>
internal sealed class SigningKeySet(IReadOnlyDictionary<string, SecurityKey> keys, DateTimeOffset fetchedAt)
{
    public DateTimeOffset FetchedAt { get; } = fetchedAt;

    public int Count => keys.Count;

    public bool TryFind(string keyId, [NotNullWhen(true)] out SecurityKey? key) => keys.TryGetValue(keyId, out key);
}
