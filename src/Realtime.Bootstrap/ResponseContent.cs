using System.Net;

namespace Realtime.Bootstrap;

/// <summary>
/// A function's response stream as a request body, written straight from the stream: a <see cref="MemoryStream"/>
/// (what every function returns) sends its own buffer, without a copy; any other stream is copied as it is read.
/// </summary>
internal sealed class ResponseContent(Stream body) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        body switch
        {
            MemoryStream memory when memory.TryGetBuffer(out var buffer) =>
                stream.WriteAsync(buffer.AsMemory((int)memory.Position), cancellationToken).AsTask(),
            // A MemoryStream whose buffer is not exposed still writes that buffer to the target in one call.
            _ => body.CopyToAsync(stream, cancellationToken),
        };

    protected override bool TryComputeLength(out long length)
    {
        length = body.CanSeek ? body.Length - body.Position : 0;
        return body.CanSeek;
    }
}
