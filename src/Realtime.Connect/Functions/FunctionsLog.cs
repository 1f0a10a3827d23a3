using Microsoft.Extensions.Logging;

namespace Realtime.Connect.Functions;

internal static partial class FunctionsLog
{
    [LoggerMessage(EventId = 1, EventName = "Connected", Level = LogLevel.Information, Message = "Connection {ConnectionId} recorded for user {UserId} (subprotocol {Subprotocol})")]
    public static partial void Connected(ILogger logger, string connectionId, string? userId, string? subprotocol);

    [LoggerMessage(EventId = 2, EventName = "AlreadyConnected", Level = LogLevel.Warning, Message = "Connection {ConnectionId} was already recorded; $connect repeated")]
    public static partial void AlreadyConnected(ILogger logger, string connectionId);

    // Only the count and length of what was offered: browsers cannot set headers, so clients often send a token as a subprotocol.
    [LoggerMessage(EventId = 3, EventName = "NoCommonSubprotocol", Level = LogLevel.Warning, Message = "Connection {ConnectionId} refused: none of the {OfferedCount} offered subprotocols ({OfferedLength} characters) is supported")]
    public static partial void NoCommonSubprotocol(ILogger logger, string connectionId, int offeredCount, int offeredLength);

    [LoggerMessage(EventId = 4, EventName = "IncompleteConnect", Level = LogLevel.Error, Message = "Connection {ConnectionId} refused: the $connect event has no domainName or stage")]
    public static partial void IncompleteConnect(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 5, EventName = "Disconnected", Level = LogLevel.Information, Message = "Connection {ConnectionId} closed with {CloseCode} \"{CloseReason}\" (was recorded: {Removed})")]
    public static partial void Disconnected(ILogger logger, string connectionId, int? closeCode, string? closeReason, bool removed);
}
