namespace Realtime.Local.Functions;

/// <summary>
/// A function's entry point as the gateway calls it: the event JSON in, the response JSON out. Bound once per function
/// at start-up to the handler method of one instance, so an invocation is a plain delegate call.
/// </summary>
public delegate Task<Stream> LambdaHandler(Stream input, CancellationToken cancellationToken);
