using System.Buffers.Text;
using System.Text.Json;

namespace Realtime.Bench.LocalGateway.Driver;

/// <summary>Writes <c>{"action":"ping","id":"n"}</c> and recognises its answer, without allocating per message.</summary>
internal static class PingMessage
{
    public const int MaxLength = 64;

    private static ReadOnlySpan<byte> Head => "{\"action\":\"ping\",\"id\":\""u8;

    private static ReadOnlySpan<byte> Tail => "\"}"u8;

    public static int Write(Span<byte> destination, long id)
    {
        Head.CopyTo(destination);
        var length = Head.Length;
        if (!Utf8Formatter.TryFormat(id, destination[length..], out var digits))
        {
            throw new ArgumentException("destination too small", nameof(destination));
        }
        length += digits;
        Tail.CopyTo(destination[length..]);
        return length + Tail.Length;
    }

    /// <summary>The id the reply answers, or false when it is not a well-formed answer of the expected kind.</summary>
    public static bool TryReadReply(ReadOnlySpan<byte> reply, Expectation expect, out long id)
    {
        id = 0;
        return expect == Expectation.Echo ? TryReadEcho(reply, out id) : TryReadPong(reply, out id);
    }

    private static bool TryReadEcho(ReadOnlySpan<byte> reply, out long id)
    {
        // An echo is byte for byte what Write produced for that id.
        id = 0;
        if (!reply.StartsWith(Head) || !reply.EndsWith(Tail))
        {
            return false;
        }
        var digits = reply[Head.Length..^Tail.Length];
        Span<byte> canonical = stackalloc byte[20];
        return Utf8Parser.TryParse(digits, out id, out var consumed) && consumed == digits.Length && id >= 0
            && Utf8Formatter.TryFormat(id, canonical, out var written) && canonical[..written].SequenceEqual(digits);
    }

    private static bool TryReadPong(ReadOnlySpan<byte> reply, out long id)
    {
        id = -1;
        var isPong = false;
        try
        {
            var reader = new Utf8JsonReader(reply);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isType)
                {
                    isPong = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("pong"u8);
                }
                else if (isId && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                {
                    if (!Utf8Parser.TryParse(reader.ValueSpan, out id, out var consumed) || consumed != reader.ValueSpan.Length)
                    {
                        id = -1;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        return isPong && id >= 0;
    }
}
