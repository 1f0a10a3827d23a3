using System.Net;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Hosting;

namespace Realtime.Bootstrap;

/// <summary>
/// Asks for the next invocation, runs the function on it and answers, until the process is stopped. An exception
/// from the function is that invocation's error, never the end of the process.
/// </summary>
internal sealed class InvocationLoop(RuntimeApiClient api, FunctionHandler handler, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var invocation = await api.NextAsync(cancellationToken).ConfigureAwait(false);
            await InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task InvokeAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        // An async method's changes to an AsyncLocal end with it, so the context is the invocation's and no longer.
        InvocationContext.Current = new InvocationContext(invocation.RequestId, invocation.Deadline, invocation.TraceId);
        // Where Lambda's runtimes publish the trace header, for code that reads it there (the AWS SDK does); a
        // process-wide variable, so it is taken back when the invocation ends.
        Environment.SetEnvironmentVariable(TraceHeader.Variable, invocation.TraceId);
        try
        {
            await AnswerAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TraceHeader.Variable, null);
        }
    }

    private async Task AnswerAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        Stream output;
        try
        {
            output = await handler(new MemoryStream(invocation.Payload, writable: false)).ConfigureAwait(false) ?? Stream.Null;
        }
        catch (Exception e)
        {
            var report = ErrorReport.From(e);
            BootstrapLog.InvocationFailed(logger, report.ErrorType, e);
            Check(await api.ReportErrorAsync(invocation.RequestId, report, cancellationToken).ConfigureAwait(false));
            return;
        }

        await using (output.ConfigureAwait(false))
        {
            Check(await api.RespondAsync(invocation.RequestId, output, cancellationToken).ConfigureAwait(false));
        }
    }

    // A refused answer (a response over Lambda's size limit is a 413) fails that invocation only; Lambda reports it.
    private void Check(HttpStatusCode status)
    {
        if (status != HttpStatusCode.Accepted) BootstrapLog.AnswerRefused(logger, status);
    }
}
