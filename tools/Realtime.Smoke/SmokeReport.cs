using System.Text.Encodings.Web;
using System.Text.Json;

namespace Realtime.Smoke;

/// <summary>
/// What the run prints: one line per step as it finishes and a summary, or (with --json) one object with every step
/// at the end, for scripts. Tokens are never printed.
/// </summary>
internal sealed class SmokeReport(TextWriter output, bool json)
{
    private readonly List<Step> _steps = [];
    private IReadOnlyList<string> _plan = [];
    private string _url = "", _destination = "", _topic = "", _identity = "";

    public bool Passed => _steps.Count == _plan.Count && _steps.All(s => s.Ok);

    public void Begin(Uri url, string destination, string topic, string identity, IReadOnlyList<string> plan)
    {
        (_url, _destination, _topic, _identity, _plan) = (url.ToString(), destination, topic, identity, plan);
        if (json) return;
        output.WriteLine($"Realtime smoke test of {_url} {_identity}");
        output.WriteLine($"  topic {_topic}, published with {_destination}");
        output.Flush();
    }

    public void Succeeded(string step, TimeSpan elapsed, string? detail) => Add(new Step(step, true, elapsed, detail));

    // One line per step, whatever the reason: some SDK messages list one cause per line.
    public void Failed(string step, TimeSpan elapsed, string reason) =>
        Add(new Step(step, false, elapsed, string.Join(' ', reason.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));

    /// <summary>The summary; <paramref name="roundTrip"/> is from publishing to receiving, when the event arrived.</summary>
    public void End(TimeSpan total, TimeSpan? roundTrip)
    {
        if (json)
        {
            WriteJson(total, roundTrip);
            return;
        }
        var failed = _steps.FirstOrDefault(s => !s.Ok);
        output.WriteLine(failed is null
            ? $"passed: {_steps.Count} steps in {Ms(total)} ms, round trip {Ms(roundTrip ?? TimeSpan.Zero)} ms"
            : $"FAILED at {failed.Name} ({_steps.Count(s => s.Ok)} of {_plan.Count} steps passed)");
        output.Flush();
    }

    private void Add(Step step)
    {
        _steps.Add(step);
        if (json) return;
        var line = $"{step.Name,-10} {(step.Ok ? "ok" : "FAILED"),-6} {Ms(step.Elapsed),5} ms";
        output.WriteLine(step.Detail is null ? line : $"{line}  {step.Detail}");
        output.Flush();
    }

    private void WriteJson(TimeSpan total, TimeSpan? roundTrip)
    {
        using var stream = new MemoryStream();
        // Read by people as well as scripts: quotes and apostrophes in reasons stay as they are.
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var failed = _steps.FirstOrDefault(s => !s.Ok);
            writer.WriteStartObject();
            writer.WriteBoolean("passed", Passed);
            writer.WriteString("url", _url);
            writer.WriteString("publishedWith", _destination);
            writer.WriteString("topic", _topic);
            writer.WriteString("identity", _identity);
            writer.WriteStartArray("steps");
            foreach (var name in _plan)
            {
                var step = _steps.FirstOrDefault(s => s.Name == name);
                writer.WriteStartObject();
                writer.WriteString("step", name);
                // A step after a failure never ran; it is listed so a script sees the whole plan.
                writer.WriteString("status", step is null ? "skipped" : step.Ok ? "ok" : "failed");
                if (step is not null)
                {
                    writer.WriteNumber("ms", Ms(step.Elapsed));
                    if (step.Detail is not null) writer.WriteString(step.Ok ? "detail" : "reason", step.Detail);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (failed is not null)
            {
                writer.WriteString("failedStep", failed.Name);
                writer.WriteString("reason", failed.Detail);
            }
            if (roundTrip is { } trip) writer.WriteNumber("roundTripMs", Ms(trip));
            writer.WriteNumber("totalMs", Ms(total));
            writer.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        output.Flush();
    }

    private static long Ms(TimeSpan elapsed) => (long)Math.Round(elapsed.TotalMilliseconds, MidpointRounding.AwayFromZero);

    private sealed record Step(string Name, bool Ok, TimeSpan Elapsed, string? Detail);
}
