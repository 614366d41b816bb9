using System.Diagnostics;
using System.Net;

namespace LoadBench;

/// <summary>Result of one thundering-herd run.</summary>
internal sealed record HerdResult(int Clients, int OriginFetches, double OriginFirstByteMs, double MedianFirstByteMs, double P99FirstByteMs, double MaxCompleteMs, int Failures);

/// <summary>
/// N clients ask one cold, slowly delivered segment at the same instant. Counts origin fetches and measures
/// each client's time to first byte against the origin's own time to first byte.
/// </summary>
internal static class Herd
{
    public static async Task<HerdResult> RunAsync(string baseUrl, string path, int clients, OriginServer origin, string host)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Host = host;
        // Open the connections first so the herd measures the cache, not TCP handshakes.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => http.GetAsync("/warmup-connection")));

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, clients).Select(async _ =>
        {
            await start.Task;
            var sent = clock.Elapsed.TotalMilliseconds;
            try
            {
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
                await using var body = await response.Content.ReadAsStreamAsync();
                var buffer = new byte[64 * 1024];
                var n = await body.ReadAsync(buffer);
                var firstByte = clock.Elapsed.TotalMilliseconds - sent;
                long total = n;
                while ((n = await body.ReadAsync(buffer)) > 0)
                {
                    total += n;
                }

                return (Ok: response.StatusCode == HttpStatusCode.OK && total == 7_000_000, FirstByte: firstByte, Complete: clock.Elapsed.TotalMilliseconds - sent);
            }
            catch (HttpRequestException)
            {
                return (Ok: false, FirstByte: double.NaN, Complete: double.NaN);
            }
        }).ToList();
        start.SetResult();
        var results = await Task.WhenAll(tasks);
        var firstBytes = results.Where(r => r.Ok).Select(r => r.FirstByte).Order().ToList();
        return new HerdResult(
            clients,
            origin.Fetches(path),
            origin.FirstByteMs(path),
            firstBytes.Count > 0 ? firstBytes[firstBytes.Count / 2] : double.NaN,
            firstBytes.Count > 0 ? firstBytes[(int)Math.Min(firstBytes.Count - 1, Math.Ceiling(firstBytes.Count * 0.99) - 1)] : double.NaN,
            results.Where(r => r.Ok).Select(r => r.Complete).DefaultIfEmpty(double.NaN).Max(),
            results.Count(r => !r.Ok));
    }
}
