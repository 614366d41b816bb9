using System.Globalization;
using System.Text;
using Cdn.Proxy.Upstream;
using Cdn.SystemTests.Browser;
using Cdn.SystemTests.Chain;
using LocalCdn.Nodes;
using Xunit.Abstractions;

namespace Cdn.SystemTests.Playback;

/// <summary>
/// The main job's chain with a real player: GeoDNS sends a client of fra to the fra edge, hls.js in headless
/// Chromium plays the title from it over HTTPS (the CDN host name, the edge's certificate pinned by SPKI), the
/// link is throttled mid-way and one shield is killed while the edge still fills from the shields.
/// </summary>
[Collection(LocalCdnCollection.Name)]
public sealed class FullChainPlaybackTests
{
    private readonly LocalCdnFixture _cdn;
    private readonly ITestOutputHelper _output;

    public FullChainPlaybackTests(LocalCdnFixture cdn, ITestOutputHelper output)
    {
        _cdn = cdn;
        _output = output;
    }

    [Fact]
    public async Task GeoDns_sends_each_site_to_its_edge_and_the_fill_plan_filled_ams_only()
    {
        _output.WriteLine(_cdn.Log);
        foreach (var site in _cdn.Topology.Sites)
        {
            var answer = await _cdn.Chain.ResolveAsync(site.Name);
            _output.WriteLine($"{site.ProbeSubnet}: {string.Join("; ", answer.AnswerLines)}");
            Assert.Equal([_cdn.Topology.EdgeOf(site.Name).Address], answer.Addresses);
        }

        // The fill agent prefetched the plan into the ams edge (not into fra, whose plan was not pushed).
        var ams = await _cdn.Chain.EdgeOf("ams").MetricsAsync();
        var fra = await _cdn.Chain.EdgeOf("fra").MetricsAsync();
        Assert.True(ams.Sum("edge_fill_bytes_total") > 10_000_000, $"the ams edge filled {ams.Sum("edge_fill_bytes_total")} bytes");
        Assert.Equal(0, fra.Sum("edge_fill_bytes_total"));
    }

    [Fact]
    public async Task A_browser_plays_through_the_edge_GeoDns_chose_without_stalls_steps_down_when_throttled_and_survives_a_shield_killed_mid_playback()
    {
        var topology = _cdn.Topology;
        _output.WriteLine(_cdn.Log);
        _output.WriteLine("ladder: " + string.Join(", ", _cdn.Variants.Select(v => $"{v.Height}p BANDWIDTH={v.Bandwidth} AVERAGE={v.AverageBandwidth}")));

        // A client in fra's coverage zone: the fra edge, which holds nothing yet (its site's plan was not pushed),
        // so every fragment is a miss the edge fills from the shields while the player waits.
        var answer = await _cdn.Chain.ResolveAsync("fra");
        _output.WriteLine($"dig +subnet={answer.Subnet}: {string.Join("; ", answer.AnswerLines)}");
        var address = Assert.Single(answer.Addresses);
        var edge = _cdn.Chain.EdgeAt(address);
        Assert.Equal("fra", edge.Settings.Site);
        await WarmUpAsync(edge);

        // The throttle sits in the geometric middle between the second and third rungs (480p and 720p in the
        // default ladder): on loopback the player climbs to the top; throttled, it must come down to the second
        // rung or lower. Applied when hls.js has buffered 30 s ahead (maxBufferLength; maxMaxBufferLength caps it,
        // or hls.js would size the buffer by bytes and swallow all 60 s over loopback before any throttle).
        var rungs = _cdn.Variants.OrderBy(v => v.Bandwidth).ToList();
        Assert.True(rungs.Count >= 3, $"the ladder needs at least three rungs, has {rungs.Count}");
        var throttleKbit = (int)(Math.Sqrt((double)rungs[1].Bandwidth * rungs[2].Bandwidth) / 1000);
        const double ThrottleAt = 6;
        const double KillAt = 16;
        const string HlsConfig = """{"maxMaxBufferLength":30}""";

        var ring = new UpstreamPool(new UpstreamOptions
        {
            Parents = [.. _cdn.Chain.Shields.Select(s => new UpstreamServerOptions { Name = s.Name, Url = s.Http.AbsoluteUri })],
        }, TimeProvider.System);
        string PrimaryShield(string url) // the shield every edge asks first for this object (rendezvous on the cache key)
            => ring.Order(UpstreamPool.ObjectHash(Encoding.UTF8.GetBytes(topology.CdnHost + new Uri(url).AbsolutePath)))[0].Name!;

        var lastFragment = new Dictionary<string, string>(StringComparer.Ordinal); // type -> url of its last fragment
        CacheNodeProcess? killed = null;
        double? killedAtMs = null;
        var afterKill = new List<(string Url, string Primary)>();
        var master = new Uri($"https://{topology.CdnHost}:{edge.Ports.Https}{_cdn.MasterPath}");
        var player = await BrowserPlayer.CreateAsync();
        var result = await player.PlayAsync(
            new PlaybackRequest
            {
                MasterPlaylist = master,
                Resolve = new Dictionary<string, string> { [topology.CdnHost] = address },
                TrustedCertificateSpkis = [edge.CertificateSpkiSha256!],
                Throttle = [ThrottleStep.Limit(ThrottleAt, throttleKbit)],
                HlsConfigJson = HlsConfig,
                Timeout = TimeSpan.FromMinutes(3),
            },
            async e =>
            {
                if (e.Name == "frag-loaded" && e.Text("url") is { } url && e.Number("sn") >= 0)
                {
                    lastFragment[e.Text("type") ?? "main"] = url;
                    if (killed is not null)
                    {
                        afterKill.Add((url, PrimaryShield(url)));
                    }
                }
                else if (e.Name is not "progress")
                {
                    _output.WriteLine(e.ToString());
                }

                if (killed is null && e.Name == "progress" && e.CurrentTime >= KillAt)
                {
                    // Kill the shield that is first in the ring for most of the fragments still to come.
                    var upcoming = lastFragment.Values.SelectMany(RemainingSegments).ToList();
                    var victim = upcoming.Count == 0
                        ? _cdn.Chain.Shields[0].Name
                        : upcoming.GroupBy(PrimaryShield).OrderByDescending(g => g.Count()).First().Key;
                    killed = _cdn.Chain.Shields.Single(s => s.Name == victim);
                    killedAtMs = e.T;
                    _output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} killing {victim} (SIGKILL) at playhead {e.CurrentTime:0.0} s; first in the ring for {upcoming.Count(u => PrimaryShield(u) == victim)} of {upcoming.Count} upcoming fragments");
                    await killed.Process.KillAsync();
                }
            });

        _output.WriteLine($"startup {result.StartupMs} ms, stalls {result.StallCount} ({result.StalledMs} ms), ended={result.Ended}, "
            + $"fragments per level {string.Join(", ", result.FragmentsPerLevel.OrderBy(kv => kv.Key).Select(kv => $"{Height(result, kv.Key)}p:{kv.Value}"))}, "
            + $"{result.BytesLoaded} fragment bytes, throttle {throttleKbit} kbit at {ThrottleAt} s, wall {result.WallMs} ms, dropped frames {result.DroppedFrames}/{result.TotalFrames}");
        _output.WriteLine($"after the kill: {string.Join(", ", afterKill.Select(f => $"{new Uri(f.Url).AbsolutePath} (ring: {f.Primary})"))}");

        Expect(result.Ended, "the video did not reach 'ended'", result, edge, killed);
        Expect(result.Errors.All(e => !e.Fatal), "the player reported a fatal error", result, edge, killed);
        Expect(result.Network.Failed.Count == 0, "requests failed", result, edge, killed);
        Expect(result.StartupMs is < 2000, $"startup took {result.StartupMs} ms (limit 2000)", result, edge, killed);
        Expect(result.StallCount == 0, $"{result.StallCount} stalls, {result.StalledMs} ms in all", result, edge, killed);

        // Adaptive bitrate: at least two renditions had fragments, and after the throttle the player fetched a
        // lower rendition than the one it was on, ending on one that fits the throttled link.
        Expect(result.LevelsWithFragments.Count >= 2, $"fragments from only levels [{string.Join(',', result.LevelsWithFragments)}]", result, edge, killed);
        var throttle = Assert.Single(result.Throttles);
        var before = result.Fragments.Where(f => f.Type == "main" && f.Sn >= 0 && f.T <= throttle.T).ToList();
        var after = result.MainFragmentsAfter(throttle.T).ToList();
        Expect(before.Count > 0 && after.Count > 0, $"{before.Count} fragments before the throttle and {after.Count} after: it came too late or too early", result, edge, killed);
        var levelBefore = before[^1].Level;
        Expect(result.Levels[levelBefore].Bitrate > throttleKbit * 1000L,
            $"the player was on level {levelBefore} ({result.Levels[levelBefore].Bitrate} bit/s) when throttled to {throttleKbit} kbit/s: it never climbed on an unthrottled link", result, edge, killed);
        Expect(after.Any(f => f.Level < levelBefore), $"no fragment below level {levelBefore} after the throttle", result, edge, killed);
        var finalBitrate = result.Levels[after[^1].Level].Bitrate;
        Expect(finalBitrate < throttleKbit * 1000L, $"the last fragment's rendition ({finalBitrate} bit/s) does not fit the {throttleKbit} kbit/s link", result, edge, killed);

        // The kill happened mid-playback and mattered: fragments whose first shield was the dead one were still
        // fetched afterwards (the edge went to the other shield), and playback went on without a stall.
        Expect(killed is not null && killed.Process.HasExited, "no shield was killed (the playhead never reached the kill point)", result, edge, killed);
        Expect(afterKill.Any(f => f.Primary == killed!.Name),
            $"no fragment fetched after the kill had {killed!.Name} first in the ring: the kill did not exercise failover", result, edge, killed);
        Expect(result.Stalls.All(s => s.At < killedAtMs), "a stall after the shield was killed", result, edge, killed);
    }

    /// <summary>The segment URLs after <paramref name="url"/> in its rendition (the packager's seg_NNNNN.m4s names, 4 s each).</summary>
    private static IEnumerable<string> RemainingSegments(string url)
    {
        var uri = new Uri(url);
        var name = uri.Segments[^1];
        if (!name.StartsWith("seg_", StringComparison.Ordinal) || name.Length < 9 || !int.TryParse(name.AsSpan(4, 5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            yield break;
        }

        var count = (int)Math.Ceiling(LocalCdn.Media.TestSource.Duration.TotalSeconds / 4);
        for (var next = index + 1; next <= count; next++)
        {
            yield return new Uri(uri, $"seg_{next:00000}.m4s").AbsoluteUri;
        }
    }

    private async Task WarmUpAsync(CacheNodeProcess edge)
    {
        // A production edge is warm: compile the HTTPS, miss and shield paths with an object the player never
        // asks for, so startup measures a cold title, not a cold process. The browser page is on another origin,
        // so the response must carry CORS headers.
        using var http = edge.CreateHttpsClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{_cdn.Topology.TitleId}/poster.jpg");
        request.Headers.Host = _cdn.Topology.CdnHost;
        request.Headers.Add("Origin", "http://127.0.0.1:1");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"warm-up GET poster.jpg: {(int)response.StatusCode}\n{edge.Process.Tail()}");
        Assert.True(response.Headers.Contains("Access-Control-Allow-Origin"), $"no Access-Control-Allow-Origin on a CORS request:\n{response.Headers}");
    }

    private static string Height(PlaybackResult result, int level)
        => level >= 0 && level < result.Levels.Count ? result.Levels[level].Height.ToString(CultureInfo.InvariantCulture) : $"level{level}";

    private static void Expect(bool condition, string what, PlaybackResult result, CacheNodeProcess edge, CacheNodeProcess? killed)
    {
        if (!condition)
        {
            Assert.Fail($"{what}\n{result.Describe()}\nedge log ({edge.Process.LogPath}):\n{edge.Process.Tail(300)}"
                + (killed is null ? "" : $"\nkilled shield's log ({killed.Process.LogPath}):\n{killed.Process.Tail(60)}"));
        }
    }
}
