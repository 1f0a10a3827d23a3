using System.Text.Json;
using Realtime.Connect.Authorization;
using Realtime.Connect.Contract;
using Realtime.Testing;

namespace Realtime.Connect.Tests.Authorization;

/// <summary>The authorizer's answer, replayed by API Gateway on later events, read back as a user.</summary>
public sealed class AuthorizedIdentityTests : AuthorizerTestBase
{
    [Fact]
    public async Task A_token_holder_is_read_back_as_its_user_with_name_and_groups()
    {
        var result = await Function().AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout();

        var identity = AuthorizedIdentity.From(Replayed(result));

        Assert.Equal(TestTokens.Subject, identity.UserId);
        Assert.Equal("alice", identity.UserName);
        Assert.Equal(["admins", "editors"], identity.Groups);
        Assert.False(identity.IsAnonymous);
    }

    [Fact]
    public async Task An_anonymous_connection_is_read_back_without_a_user_despite_its_principal()
    {
        var result = await Function(Options(allowAnonymous: true)).AuthorizeAsync(EventWithQueryToken(null), default).DefaultTimeout();
        var replayed = Replayed(result);

        var identity = AuthorizedIdentity.From(replayed);

        Assert.Equal("anonymous:" + ConnectionId, replayed.PrincipalId);
        Assert.Null(identity.UserId);
        Assert.True(identity.IsAnonymous);
        Assert.Empty(identity.Groups);
    }

    [Fact]
    public void No_authorizer_means_no_user()
    {
        Assert.True(AuthorizedIdentity.From(null).IsAnonymous);
    }

    /// <summary>What a later event carries: the principal and the context values as strings, as API Gateway replays them.</summary>
    private static AuthorizerContext Replayed(AuthorizerResult result)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, string?>(
            (result.Context ?? new Dictionary<string, JsonElement>()).Select(pair => KeyValuePair.Create(pair.Key, pair.Value.GetString()))
                .Append(KeyValuePair.Create("principalId", result.PrincipalId))));
        var proxyEvent = JsonSerializer.Deserialize("{\"requestContext\":{\"authorizer\":" + json + "}}", ApiGatewayJsonContext.Default.WebSocketProxyEvent)!;
        return proxyEvent.RequestContext.Authorizer!;
    }
}
