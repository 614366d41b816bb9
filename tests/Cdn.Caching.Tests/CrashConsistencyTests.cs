using System.Diagnostics;

using Cdn.Caching.CrashWorker;

namespace Cdn.Caching.Tests;

public sealed class CrashConsistencyTests
{
    [Fact]
    public async Task After_repeated_SIGKILLs_mid_fill_no_reader_ever_gets_a_truncated_or_wrong_body()
    {
        using var dir = new TempDirectory("crash");
        var worker = Path.Combine(AppContext.BaseDirectory, "Cdn.Caching.CrashWorker.dll");
        Assert.True(File.Exists(worker), $"crash worker not built at {worker}");
        var random = new Random(7);
        var verifiedHits = 0;
        var partialsLeftByKills = 0;

        for (var round = 0; round < 8; round++)
        {
            using (var child = StartWorker(worker, dir.Path, round))
            {
                var ready = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                if (ready != "ready")
                {
                    child.Kill();
                    Assert.Fail($"worker did not start: {await child.StandardError.ReadToEndAsync()}");
                }

                await Task.Delay(random.Next(100, 900)); // let it get somewhere, then kill it mid-work
                child.Kill(); // SIGKILL: no shutdown, no checkpoint, fills half-written
                await child.WaitForExitAsync();
            }

            partialsLeftByKills += Directory.GetFiles(dir.Path, "*.part", SearchOption.AllDirectories).Length;
            await using var engine = TestBodies.Open(CrashContent.Options(dir.Path));
            await engine.Reconciled;
            for (var n = 0; n < CrashContent.Keys; n++)
            {
                var key = engine.KeyHasher.Create(CrashContent.Key(n));
                var lookup = engine.Lookup(key);
                if (lookup.Kind != CacheLookupKind.Hit)
                {
                    continue;
                }

                using var body = lookup.Body!;
                var bytes = new byte[body.Length];
                Assert.Equal(bytes.Length, body.Read(bytes, 0));
                Assert.True(bytes.AsSpan().SequenceEqual(CrashContent.Body(n)), $"round {round}: object {n} has the wrong bytes ({bytes.Length} bytes)");
                verifiedHits++;
            }

            foreach (var volume in (string[])["vol0", "vol1"])
            {
                Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, volume, "tmp")));
            }

            var files = Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Count(f => f.Contains("/bodies/", StringComparison.Ordinal));
            Assert.Equal(engine.GetStatistics().Objects, files);
        }

        Assert.True(verifiedHits > 0, "no object survived any crash: the test proved nothing");
        Assert.True(partialsLeftByKills > 0, "no kill landed mid-fill: the test proved nothing");
    }

    private static Process StartWorker(string worker, string root, int seed)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(worker);
        psi.ArgumentList.Add(root);
        psi.ArgumentList.Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(psi)!;
    }
}
