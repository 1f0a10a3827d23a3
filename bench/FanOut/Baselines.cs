using System.Diagnostics;
using System.Globalization;
using Amazon;
using Amazon.Runtime.Signing;
using Realtime.Connect.Management;

namespace Realtime.Bench.FanOut;

/// <summary>
/// What the same posts cost without the fan-out around them: bare HttpClient POSTs, then the same POSTs SigV4-signed
/// by AWSSDK.Core, then through <see cref="ConnectionsClient"/> (signing, pipeline, result mapping), each to the same
/// endpoint with the same concurrency. The gaps between rows, and to the fan-out, show where the time goes.
/// </summary>
internal static class Baselines
{
    public static async Task RunAsync(Uri endpoint, byte[] payload, int count, int concurrency, int rounds, IConnectionsClient client)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false });
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload));
        var region = RegionEndpoint.USEast1;

        foreach (var (name, mode) in new[] { ("bare HttpClient POST", 0), ("SigV4-signed HttpClient POST", 1), ("ConnectionsClient.PostAsync", 2) })
        {
            var times = new List<double>();
            var cpu = TimeSpan.Zero;
            for (var round = 0; round < rounds + 2; round++)
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var started = Stopwatch.GetTimestamp();
                await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, token) =>
                {
                    if (mode == 2)
                    {
                        var posted = await client.PostAsync(new ConnectionTarget(endpoint, $"{i:D15}="), payload, token);
                        if (!posted.IsOk) throw new InvalidOperationException($"Post failed: {posted}.");
                        return;
                    }
                    var uri = new Uri($"{endpoint}/%40connections/{i:D15}%3D");
                    using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(payload) };
                    if (mode == 1)
                    {
                        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = uri };
                        signing.Headers["x-amz-content-sha256"] = hash;
                        var result = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters
                        {
                            Credentials = ConnectionsClientOptions.LocalCredentials,
                            Region = region,
                            Service = "execute-api",
                            SignedAt = DateTime.UtcNow,
                        });
                        foreach (var (header, value) in result.Headers) request.Headers.TryAddWithoutValidation(header, value);
                    }
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                    response.EnsureSuccessStatusCode();
                });
                if (round < 2) continue; // warm-up
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            }
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-29} | {count,6} | {count / times[0] * 1000,19:F0} | {count / times[times.Count / 2] * 1000,21:F0} | {cpu.TotalMicroseconds / ((double)count * rounds),22:F1}"));
        }
    }
}
