using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Realtime.Testing;

namespace Realtime.Local.Tests.EndToEnd;

/// <summary>Bad tokens end at the handshake with API Gateway's statuses; no function behind $connect runs for them.</summary>
public sealed class ConnectSecurityTests(RealtimeHostFixture host) : IClassFixture<RealtimeHostFixture>
{
    [Fact]
    public async Task NoTokenIs401()
    {
        Assert.Equal(401, await RejectedStatusAsync(""));
    }

    [Fact]
    public async Task AValidTokenConnects()
    {
        await using var client = new Client(await host.ConnectAsync("valid-user"), "valid-user");

        await client.AssertNothingPendingAsync();
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.")]
    public async Task AMalformedOrUnsignedTokenIs403(string token)
    {
        Assert.Equal(403, await RejectedStatusAsync("?token=" + Uri.EscapeDataString(token)));
    }

    [Fact]
    public async Task ATokenSignedByAnotherKeyIs403()
    {
        using var rsa = RSA.Create(2048);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = host.Gateway.BaseUri.ToString().TrimEnd('/') + "/dev",
            Audience = "realtime-local",
            Claims = new Dictionary<string, object> { ["sub"] = "alice", ["token_use"] = "id" },
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "attacker" }, SecurityAlgorithms.RsaSha256),
        });

        Assert.Equal(403, await RejectedStatusAsync("?token=" + token));
    }

    [Fact]
    public async Task ATamperedTokenIs403()
    {
        var parts = (await host.TokenAsync("alice-t").DefaultTimeout()).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("alice-t", "admin-t", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        Assert.Equal(403, await RejectedStatusAsync("?token=" + tampered));
    }

    private async Task<int> RejectedStatusAsync(string query)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(host.Gateway.WebSocketUri + query), CancellationToken.None).DefaultTimeout());
        return (int)socket.HttpStatusCode;
    }
}
