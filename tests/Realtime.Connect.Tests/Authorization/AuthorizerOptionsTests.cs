using Realtime.Connect.Authorization;

namespace Realtime.Connect.Tests.Authorization;

public sealed class AuthorizerOptionsTests
{
    private const string PoolIssuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";

    [Fact]
    public void Environment_variables_configure_a_Cognito_user_pool()
    {
        var options = AuthorizerOptions.FromEnvironment(Variables(new()
        {
            ["REALTIME_JWT_ISSUER"] = PoolIssuer,
            ["REALTIME_JWT_AUDIENCE"] = " client-one, client-two ,",
            ["REALTIME_TOKEN_USE"] = "id",
            ["REALTIME_ALLOW_ANONYMOUS"] = "TRUE",
        }));

        Assert.Equal(PoolIssuer, options.Issuer);
        Assert.Equal(["client-one", "client-two"], options.Audiences);
        Assert.Equal("id", options.TokenUse);
        Assert.True(options.AllowAnonymous);
        Assert.Equal(new Uri(PoolIssuer + "/.well-known/jwks.json"), options.ResolveJwksUrl());
        options.Validate();
    }

    [Fact]
    public void An_explicit_JWKS_address_wins_over_the_issuers_well_known_one()
    {
        var options = AuthorizerOptions.FromEnvironment(Variables(new()
        {
            ["REALTIME_JWT_ISSUER"] = "http://localhost:5000/dev/",
            ["REALTIME_JWT_AUDIENCE"] = "realtime-local",
            ["REALTIME_JWKS_URL"] = "http://127.0.0.1:5000/dev/.well-known/jwks.json",
        }));

        Assert.Equal(new Uri("http://127.0.0.1:5000/dev/.well-known/jwks.json"), options.ResolveJwksUrl());
        Assert.False(options.AllowAnonymous);
        Assert.Null(options.TokenUse);
    }

    [Fact]
    public void No_issuer_and_no_anonymous_connections_is_rejected()
    {
        var options = AuthorizerOptions.FromEnvironment(Variables(new()));

        var exception = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("REALTIME_JWT_ISSUER", exception.Message);
    }

    [Fact]
    public void An_issuer_without_an_audience_is_rejected()
    {
        var options = new AuthorizerOptions { Issuer = PoolIssuer };

        var exception = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("REALTIME_JWT_AUDIENCE", exception.Message);
    }

    [Fact]
    public void Anonymous_connections_alone_need_no_issuer()
    {
        var options = new AuthorizerOptions { AllowAnonymous = true };

        options.Validate();
        Assert.False(options.ValidatesTokens);
    }

    [Fact]
    public void A_flag_that_is_not_a_boolean_is_rejected()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            AuthorizerOptions.FromEnvironment(Variables(new() { ["REALTIME_ALLOW_ANONYMOUS"] = "yes" })));

        Assert.Contains("REALTIME_ALLOW_ANONYMOUS", exception.Message);
    }

    [Theory]
    [InlineData("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json")]
    [InlineData("https://keys.example.com:8443/jwks.json")]
    [InlineData("http://localhost:4000/dev/.well-known/jwks.json")]
    [InlineData("http://LOCALHOST/jwks.json")]
    [InlineData("http://127.0.0.1:4000/dev/.well-known/jwks.json")]
    [InlineData("http://127.8.9.10/jwks.json")]
    [InlineData("http://[::1]:4000/jwks.json")]
    public void A_JWKS_address_on_https_or_on_a_loopback_host_is_accepted(string address)
    {
        new AuthorizerOptions { Issuer = PoolIssuer, Audiences = ["client"], JwksUrl = new Uri(address) }.Validate();
    }

    [Theory]
    [InlineData("http://keys.example.com/jwks.json")]
    [InlineData("http://10.0.0.5/jwks.json")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://localhost.example.com/jwks.json")]
    [InlineData("http://[::ffff:10.0.0.5]/jwks.json")]
    [InlineData("http://0.0.0.0/jwks.json")]
    [InlineData("ftp://localhost/jwks.json")]
    [InlineData("file:///etc/jwks.json")]
    public void A_JWKS_address_on_plain_http_elsewhere_than_a_loopback_host_is_rejected(string address)
    {
        var options = new AuthorizerOptions { Issuer = PoolIssuer, Audiences = ["client"], JwksUrl = new Uri(address) };

        var exception = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("https", exception.Message);
    }

    [Fact]
    public void An_http_issuer_elsewhere_than_a_loopback_host_is_rejected_for_its_well_known_JWKS_address()
    {
        var options = AuthorizerOptions.FromEnvironment(Variables(new()
        {
            ["REALTIME_JWT_ISSUER"] = "http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
            ["REALTIME_JWT_AUDIENCE"] = "client",
        }));

        var exception = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("REALTIME_JWT_ISSUER", exception.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_JWKS_size_limit_that_is_not_positive_is_rejected(int maxBytes)
    {
        var options = new AuthorizerOptions { Issuer = PoolIssuer, Audiences = ["client"], JwksMaxBytes = maxBytes };

        Assert.Throws<InvalidOperationException>(options.Validate);
    }

    [Fact]
    public void The_function_refuses_options_it_could_not_enforce()
    {
        Assert.Throws<InvalidOperationException>(() => new AuthorizerFunction(
            new AuthorizerOptions { Issuer = PoolIssuer }, logger: new RecordingLogger<AuthorizerFunction>()));
    }

    [Fact]
    public void The_function_needs_a_key_cache_when_it_validates_tokens()
    {
        Assert.Throws<ArgumentNullException>(() => new AuthorizerFunction(
            new AuthorizerOptions { Issuer = PoolIssuer, Audiences = ["client"] }, logger: new RecordingLogger<AuthorizerFunction>()));
    }

    private static Func<string, string?> Variables(Dictionary<string, string> values) =>
        name => values.TryGetValue(name, out var value) ? value : null;
}
