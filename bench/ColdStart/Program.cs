using System.Globalization;
using Realtime.Bench.ColdStart;

// dotnet Realtime.Bench.ColdStart.dll ARTIFACTS [--runs N]
// ARTIFACTS is the output folder of `bash eng/package.sh --aot`: lambda-aot/bootstrap, lambda-jit/bootstrap.dll,
// serverless-aot.template and the zips.
if (args.Length < 1 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: Realtime.Bench.ColdStart ARTIFACTS [--runs N]   (ARTIFACTS: the folder of bash eng/package.sh --aot)");
    return 64;
}
var artifacts = Path.GetFullPath(args[0]);
var runs = args.Length >= 3 && args[1] == "--runs" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};

var variants = Variant.From(artifacts);
await using var standIns = await StandIns.StartAsync(stopping.Token);
var functions = FunctionSetup.FromTemplate(Path.Combine(artifacts, "serverless-aot.template"), standIns);

// One unrecorded start of each function and variant first, so that every recorded start finds its files in the page
// cache and DynamoDB Local (a JVM) has compiled the requests it will be sent.
foreach (var function in functions)
{
    foreach (var variant in variants) await ColdStartRun.MeasureAsync(variant, function, stopping.Token);
}

// Runs interleave the variants and functions, so that a slow moment of a shared machine falls on all of them.
var results = new List<ColdStartResult>();
for (var run = 1; run <= runs; run++)
{
    foreach (var function in functions)
    {
        foreach (var variant in variants)
        {
            var result = await ColdStartRun.MeasureAsync(variant, function, stopping.Token);
            results.Add(result);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: {function.Id,-20} {variant.Name}  init {result.Init.TotalMilliseconds,6:F0} ms  first answer {result.FirstAnswer.TotalMilliseconds,6:F0} ms  VmHWM {result.PeakResidentKb / 1024.0,6:F1} MB{(result.Failed ? "  (error)" : "")}"));
        }
    }
}

Console.WriteLine();
ResultTable.Print(results, Console.Out);
Console.WriteLine();
Console.WriteLine("| zip | KB |");
Console.WriteLine("|---|---:|");
foreach (var zip in Directory.GetFiles(Path.Combine(artifacts, "lambda"), "*.zip").Order())
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {Path.GetFileName(zip)} | {(new FileInfo(zip).Length + 1023) / 1024:N0} |"));
}
return 0;
