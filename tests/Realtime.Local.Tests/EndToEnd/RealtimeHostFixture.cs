using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Realtime.Local.Hosting;
using Realtime.Testing;
using Realtime.Testing.DynamoDb;

namespace Realtime.Local.Tests.EndToEnd;

/// <summary>
/// The local host as a developer runs it: the project's own serverless.template and functions, development tokens,
/// and (unlike the default) the DynamoDB registry on DynamoDB Local, in a table of its own.
/// </summary>
public sealed class RealtimeHostFixture : IAsyncLifetime
{
    public const string PublishKey = "end-to-end-key";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public LocalGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var dynamo = await DynamoDbLocal.GetSharedAsync().DefaultTimeout(TimeSpan.FromMinutes(8));
        var table = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        await dynamo.CreateTableAsync(table).DefaultTimeout();

        Gateway = await LocalGateway.StartAsync(new LocalGatewayOptions
        {
            Port = 0,
            TemplatePath = RepositoryFiles.Template,
            Registry = RegistryKind.DynamoDb,
            DynamoDbEndpoint = dynamo.Endpoint,
            TableName = table,
            PublishKey = PublishKey,
            ConsoleLog = false,
            ApplyFunctionEnvironment = false,
        }).DefaultTimeout(TimeSpan.FromMinutes(1));
        _http.BaseAddress = Gateway.BaseUri;
    }

    public HttpClient Http => _http;

    public async Task<string> TokenAsync(string user)
    {
        using var response = await _http.PostAsJsonAsync("/dev/token", new { sub = user, username = user }).DefaultTimeout();
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());
        return body.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>A raw WebSocket client signed in as <paramref name="user"/>, as a browser connects.</summary>
    public async Task<ClientWebSocket> ConnectAsync(string user)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"{Gateway.WebSocketUri}?token={Uri.EscapeDataString(await TokenAsync(user))}"), CancellationToken.None).DefaultTimeout();
        return socket;
    }

    public async Task<HttpResponseMessage> PublishAsync(string json, string? key = PublishKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/publish") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("X-Realtime-Publish-Key", key);
        return await _http.SendAsync(request).DefaultTimeout();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await Gateway.DisposeAsync().AsTask().DefaultTimeout();
    }
}
