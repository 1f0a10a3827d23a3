using System.Text.Encodings.Web;
using System.Text.Json;
using Realtime.Connect.Contract;

namespace Realtime.Local.Events;

/// <summary>
/// Writes events with the contract's source-generated serializer into pooled buffers, escaping only what JSON
/// requires (a body's quotes read <c>\"</c>, as in API Gateway's events).
/// </summary>
public static class EventJson
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static PooledBuffer Serialize(WebSocketProxyEvent @event) =>
        Write(@event, static (writer, e) => JsonSerializer.Serialize(writer, e, ApiGatewayJsonContext.Default.WebSocketProxyEvent));

    public static PooledBuffer Serialize(AuthorizerEvent @event) =>
        Write(@event, static (writer, e) => JsonSerializer.Serialize(writer, e, ApiGatewayJsonContext.Default.AuthorizerEvent));

    private static PooledBuffer Write<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new PooledBuffer(2048);
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            t_writer = writer;
        }
        else
        {
            writer.Reset(buffer);
        }
        try
        {
            write(writer, value);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
        return buffer;
    }
}
