using Microsoft.Extensions.Options;
using Realtime.Local.Identity;

namespace Realtime.Local.Tests.Identity;

public sealed class SigningKeyFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "realtime-identity-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_named_key_file_is_created_once_and_read_back_with_the_same_key_id()
    {
        var path = Path.Combine(_directory, "keys", "dev-signing.pem");

        using var first = Issuer(path);
        using var second = Issuer(path);

        Assert.True(File.Exists(path));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path));
        Assert.Equal(first.KeyId, second.KeyId);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Without_a_key_file_every_issuer_has_its_own_key()
    {
        using var first = Issuer(null);
        using var second = Issuer(null);

        Assert.NotEqual(first.KeyId, second.KeyId);
    }

    [Fact]
    public void A_key_file_without_a_private_key_is_refused()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "not-a-key.pem");
        File.WriteAllText(path, "hello");

        var exception = Assert.Throws<InvalidOperationException>(() => Issuer(path));
        Assert.Contains(path, exception.Message);
    }

    [Fact]
    public void The_issuer_is_the_configured_base_url_plus_dev()
    {
        using var issuer = new DevelopmentTokenIssuer(Options.Create(new DevelopmentTokenOptions { BaseUrl = "http://localhost:5000/" }), TimeProvider.System);

        Assert.Equal("http://localhost:5000/dev", issuer.Issuer);
        Assert.Equal(new Uri("http://localhost:5000/dev/.well-known/jwks.json"), issuer.JwksUrl);
    }

    [Fact]
    public void Without_a_base_url_or_a_listening_server_the_issuer_is_unknown()
    {
        using var issuer = Issuer(null);

        Assert.Throws<InvalidOperationException>(() => issuer.Issuer);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static DevelopmentTokenIssuer Issuer(string? keyFile) =>
        new(Options.Create(new DevelopmentTokenOptions { KeyFile = keyFile }), TimeProvider.System);
}
