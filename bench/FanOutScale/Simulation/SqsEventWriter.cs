using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// Lambda's SQS event, field for field as the event source mapping sends it, so the function parses what it would
/// parse on AWS (including the fields it ignores).
/// </summary>
internal static class SqsEventWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static MemoryStream Write(IReadOnlyList<QueuedMessage> messages)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Records");
            foreach (var message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("messageId", message.MessageId);
                writer.WriteString("receiptHandle", message.ReceiptHandle);
                writer.WriteString("body", message.Body);
                writer.WriteStartObject("attributes");
                writer.WriteString("ApproximateReceiveCount", message.ApproximateReceiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteString("SentTimestamp", Milliseconds(message.SentAt));
                writer.WriteString("SenderId", "SIM");
                writer.WriteString("ApproximateFirstReceiveTimestamp", Milliseconds(message.FirstReceivedAt));
                writer.WriteEndObject();
                writer.WriteStartObject("messageAttributes");
                writer.WriteEndObject();
                writer.WriteString("md5OfBody", Md5Hex(message.Body));
                writer.WriteString("eventSource", "aws:sqs");
                writer.WriteString("eventSourceARN", InvocationPoolOptions.QueueArn);
                writer.WriteString("awsRegion", InvocationPoolOptions.Region);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        stream.Position = 0;
        return stream;
    }

    private static string Milliseconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Md5Hex(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));
}
