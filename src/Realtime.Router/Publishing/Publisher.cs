using System.Text.Json;
using Realtime.Connect.Management;
using Realtime.Router.FanOut;
using Realtime.Router.Protocol;
using Realtime.Router.Topics;

namespace Realtime.Router.Publishing;

/// <summary>
/// Turns a backend's publish request into an <c>event</c> for every subscriber of its topic. Shared by the SQS publish
/// function and the local host's <c>POST /publish</c>, so both accept and refuse exactly the same requests.
/// </summary>
public sealed class Publisher(TopicFanOut fanOut)
{
    public const int MaxEventNameLength = 128;

    /// <summary>Parses and checks a request body; the error says what is wrong with it.</summary>
    public static bool TryRead(string? body, out PublishRequest request, out string error)
    {
        request = new PublishRequest();
        if (string.IsNullOrWhiteSpace(body))
        {
            error = "The body is empty; expected {\"topic\":...,\"event\":...,\"data\":...}.";
            return false;
        }
        try
        {
            request = JsonSerializer.Deserialize(body, RouterJsonContext.Default.PublishRequest) ?? new PublishRequest();
        }
        catch (JsonException e)
        {
            error = $"The body is not a publish request: {e.Message}";
            return false;
        }
        if (!TopicName.IsValid(request.Topic, out error)) return false;
        if (string.IsNullOrEmpty(request.Event) || request.Event.Length > MaxEventNameLength)
        {
            error = $"\"event\" is required, at most {MaxEventNameLength} characters.";
            return false;
        }
        error = "";
        return true;
    }

    /// <summary>
    /// Sets the event out to the topic's subscribers under <paramref name="messageId"/> (which every subscriber gets with
    /// it, and which must be the same for every try of one request: the SQS message id); throws
    /// <see cref="ArgumentException"/> when it is too large to deliver.
    /// </summary>
    public Task<FanOutResult> PublishAsync(PublishRequest request, string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var message = ServerMessage.Event(request.Topic!, request.Event!, request.Data, messageId);
        if (message.Length > ConnectionsClientOptions.MaxPayloadBytes)
        {
            throw new ArgumentException($"The event would be {message.Length} bytes; at most {ConnectionsClientOptions.MaxPayloadBytes} can be delivered.", nameof(request));
        }
        return fanOut.StartAsync(new Delivery(messageId, request.Topic!, message), cancellationToken);
    }
}
