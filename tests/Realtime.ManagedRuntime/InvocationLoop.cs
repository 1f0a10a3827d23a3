namespace Realtime.ManagedRuntime;

/// <summary>
/// Asks for the next invocation, runs the handler on it, answers; forever, as the managed runtime does. The trace id
/// is published as <c>_X_AMZN_TRACE_ID</c> for the invocation, as Lambda's runtimes do. An exception from the handler
/// is that invocation's error, never the end of the process.
/// </summary>
internal sealed class InvocationLoop(RuntimeApiClient api, StreamHandler handler)
{
    public async Task RunAsync()
    {
        while (true)
        {
            var invocation = await api.NextAsync();
            Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId);
            Stream output;
            try
            {
                output = await handler(new MemoryStream(invocation.Payload, writable: false));
            }
            catch (Exception e)
            {
                await api.ReportErrorAsync(invocation.RequestId, e);
                continue;
            }
            await using (output)
            {
                await api.RespondAsync(invocation.RequestId, output);
            }
        }
    }
}
