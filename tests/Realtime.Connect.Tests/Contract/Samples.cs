using System.Text.Json;
using Realtime.Connect.Contract;

namespace Realtime.Connect.Tests.Contract;

/// <summary>Captured API Gateway events (placeholders for ids and addresses), copied next to the test binaries.</summary>
internal static class Samples
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Contract", "Samples", name));

    public static WebSocketProxyEvent Event(string name) =>
        JsonSerializer.Deserialize(Read(name), ApiGatewayJsonContext.Default.WebSocketProxyEvent)!;
}
