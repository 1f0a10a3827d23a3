using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace Realtime.Testing.DynamoDb;

/// <summary>
/// One DynamoDB Local process per test assembly: started in memory on a free loopback port the first time a test
/// asks for it, with the connections table created from <c>serverless.template</c>, and stopped when the test
/// process exits. Tests keep apart by using their own connection ids and topics, or by creating their own table.
/// </summary>
public sealed class DynamoDbLocal : IAsyncDisposable
{
    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static DynamoDbLocal? _shared;

    private readonly Process _process;

    private DynamoDbLocal(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>The table every test shares, created from the template's ConnectionsTable.</summary>
    public string TableName { get; } = "realtime-connections";

    public static async Task<DynamoDbLocal> GetSharedAsync()
    {
        if (_shared is { } shared) return shared;
        await StartLock.WaitAsync().DefaultTimeout(TimeSpan.FromMinutes(8));
        try
        {
            if (_shared is null)
            {
                var started = await StartAsync(CancellationToken.None).DefaultTimeout(TimeSpan.FromMinutes(7));
                await started.CreateTableAsync(started.TableName).DefaultTimeout();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => started.Kill();
                _shared = started;
            }
            return _shared;
        }
        finally
        {
            StartLock.Release();
        }
    }

    public static async Task<DynamoDbLocal> StartAsync(CancellationToken cancellationToken)
    {
        var jar = await DynamoDbLocalInstaller.EnsureInstalledAsync(cancellationToken);
        var port = FreeLoopbackPort();
        string[] command =
        [
            "java",
            $"-Djava.library.path={Path.Combine(DynamoDbLocalInstaller.EmulatorDirectory, "DynamoDBLocal_lib")}",
            "-Xmx512m",
            "-jar", jar,
            "-inMemory",
            "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        // A small shell keeps watch over the test process: if it dies without running its exit handlers (a killed
        // test host), the shell stops Java, so no DynamoDB Local outlives the tests that started it.
        var java = new ProcessStartInfo("bash",
        [
            "-c",
            """ "$@" & java=$!; trap 'kill $java 2>/dev/null' EXIT; while kill -0 "$WATCHED" 2>/dev/null && kill -0 $java 2>/dev/null; do sleep 1; done """,
            "dynamodb-local",
            .. command,
        ])
        {
            WorkingDirectory = DynamoDbLocalInstaller.EmulatorDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        java.Environment["WATCHED"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(java) ?? throw new InvalidOperationException("Could not start java for DynamoDB Local.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var local = new DynamoDbLocal(process, new Uri($"http://127.0.0.1:{port}"));
        await local.WaitUntilReadyAsync(cancellationToken);
        return local;
    }

    /// <summary>A client for this instance; <paramref name="httpClientFactory"/> lets a test count or fail requests.</summary>
    public AmazonDynamoDBClient CreateClient(HttpClientFactory? httpClientFactory = null, int maxErrorRetry = 3)
    {
        var config = new AmazonDynamoDBConfig
        {
            ServiceURL = Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = maxErrorRetry,
            Timeout = TimeSpan.FromSeconds(20),
        };
        if (httpClientFactory is not null) config.HttpClientFactory = httpClientFactory;
        return new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), config);
    }

    public async Task CreateTableAsync(string tableName)
    {
        using var client = CreateClient();
        await client.CreateTableAsync(ConnectionsTableDefinition.FromTemplate().ToCreateTableRequest(tableName)).DefaultTimeout();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var client = CreateClient(maxErrorRetry: 0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"DynamoDB Local exited with code {_process.ExitCode} while starting.");
            try
            {
                await client.ListTablesAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return;
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException or TimeoutException or AmazonClientException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
