using System.Security.Cryptography;

namespace Realtime.Local.Identity.Internal;

/// <summary>The development signing key: read from a PEM file, or made (and written there when a file is named).</summary>
internal static class SigningKeyFile
{
    private const int KeySizeInBits = 2048;

    public static RSA LoadOrCreate(string? path)
    {
        if (path is null) return RSA.Create(KeySizeInBits);

        if (File.Exists(path))
        {
            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(File.ReadAllText(path));
            }
            catch (ArgumentException exception)
            {
                rsa.Dispose();
                throw new InvalidOperationException($"The development signing key file {path} holds no RSA private key in PEM form.", exception);
            }
            if (rsa.KeySize < KeySizeInBits)
            {
                rsa.Dispose();
                throw new InvalidOperationException($"The development signing key in {path} has {rsa.KeySize} bits; at least {KeySizeInBits} are needed.");
            }
            return rsa;
        }

        var created = RSA.Create(KeySizeInBits);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory) Directory.CreateDirectory(directory);
        File.WriteAllText(path, created.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return created;
    }
}
