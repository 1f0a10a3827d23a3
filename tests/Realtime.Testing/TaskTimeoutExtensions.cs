using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Realtime.Testing;

/// <summary>
/// Every await in a test goes through <c>.DefaultTimeout()</c>, so a hang fails the test with the call site instead of
/// blocking the run. The default is generous for a loaded 2-core CI machine and is not a performance assertion.
/// </summary>
public static class TaskTimeoutExtensions
{
    public static TimeSpan DefaultTimeoutSpan { get; } = Debugger.IsAttached ? TimeSpan.FromMinutes(10) : TimeSpan.FromSeconds(30);

    public static Task DefaultTimeout(this Task task, TimeSpan? timeout = null, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        task.WaitAsync(timeout ?? DefaultTimeoutSpan).ContinueWith(t => Unwrap(t, file, line), TaskScheduler.Default).Unwrap();

    public static async Task<T> DefaultTimeout<T>(this Task<T> task, TimeSpan? timeout = null, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        try
        {
            return await task.WaitAsync(timeout ?? DefaultTimeoutSpan);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out awaiting the operation at {Path.GetFileName(file)}:{line}.");
        }
    }

    public static Task DefaultTimeout(this ValueTask task, TimeSpan? timeout = null, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        task.AsTask().DefaultTimeout(timeout, file, line);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task, TimeSpan? timeout = null, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        task.AsTask().DefaultTimeout(timeout, file, line);

    private static Task Unwrap(Task completed, string? file, int line) =>
        completed.Exception?.InnerException is TimeoutException
            ? Task.FromException(new TimeoutException($"Timed out awaiting the operation at {Path.GetFileName(file)}:{line}."))
            : completed;
}
