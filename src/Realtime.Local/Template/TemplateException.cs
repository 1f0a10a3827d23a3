namespace Realtime.Local.Template;

/// <summary>The template cannot be read or does not describe a WebSocket API the gateway can emulate.</summary>
public sealed class TemplateException(string message) : Exception(message);
