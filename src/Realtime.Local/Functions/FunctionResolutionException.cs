namespace Realtime.Local.Functions;

/// <summary>A template handler string names an assembly, type or method that cannot be loaded or called.</summary>
public sealed class FunctionResolutionException(string message, Exception? inner = null) : Exception(message, inner);
