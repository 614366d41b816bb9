using System.Globalization;
using Cdn.SystemTests.Nodes;
using Cdn.SystemTests.Browser;
using Cdn.SystemTests.Titles;
using Xunit.Abstractions;

namespace Cdn.SystemTests.Playback;

/// <summary>hls.js in headless Chromium plays the packager's ladder from a real edgenode over HTTPS.</summary>
[Collection(PackagedTitleCollection.Name)]
public sealed class EdgePlaybackTests
{
    private readonly PackagedTitle _title;
    private readonly ITestOutputHelper _output;

    public EdgePlaybackTests(PackagedTitle title, ITestOutputHelper output)
    {
        _title = title;
        _output = output;
    }

    [Fact]
    public async Task A_browser_plays_the_title_from_an_edge_to_the_end_without_stalls_and_steps_down_when_throttled()
    {
        _output.WriteLine($"source made in {_title.SourceTime.TotalSeconds:0.0} s, packaged in {_title.PackagingTime.TotalSeconds:0.0} s; ladder: "
            + string.Join(", ", _title.Variants.Select(v => $"{v.Height}p BANDWIDTH={v.Bandwidth} AVERAGE={v.AverageBandwidth}")));
        using var dir = new TempDirectory("sysedge");
        await using var edge = await CacheNodeProcess.StartAsync(new CacheNodeSettings { Name = "edge-sys-1", Directory = dir.Path, Origins = [_title.OriginUrl] });
        await WarmUpAsync(edge);

        // The throttle sits in the geometric middle between the second and third rungs (480p and 720p in the
        // default ladder: 1.6 and 3.0 Mbit/s peak, so about 2.2 Mbit/s). On loopback the player climbs to the
        // top; once throttled it must come down to the second rung or lower, which then plays with a third or
        // more to spare, and the next rung up is as far above the link as the second rung is below it.
        var rungs = _title.Variants.OrderBy(v => v.Bandwidth).ToList();
        Assert.True(rungs.Count >= 3, $"the ladder needs at least three rungs, has {rungs.Count}");
        var throttleKbit = (int)(Math.Sqrt((double)rungs[1].Bandwidth * rungs[2].Bandwidth) / 1000);
        // Applied when hls.js has buffered 30 s ahead (hls.js's maxBufferLength; maxMaxBufferLength is capped to
        // it because by default hls.js sizes the buffer by bytes, 60 MB, and swallows all 60 s over loopback in
        // about 4 s, before any throttle could matter). Half the title is then still to fetch, and the buffer
        // outlasts the one or two top-rung fragments hls.js fetches slowly before its estimate catches up.
        const double ThrottleAt = 6;
        const string HlsConfig = """{"maxMaxBufferLength":30}""";

        var player = await BrowserPlayer.CreateAsync();
        var result = await player.PlayAsync(
            new PlaybackRequest
            {
                MasterPlaylist = edge.HttpsUrl(PackagedTitle.MasterPath),
                TrustedCertificateSpkis = [edge.CertificateSpkiSha256!],
                Throttle = [ThrottleStep.Limit(ThrottleAt, throttleKbit)],
                HlsConfigJson = HlsConfig,
                Timeout = TimeSpan.FromMinutes(3),
            },
            e =>
            {
                if (e.Name is not ("progress" or "frag-loaded"))
                {
                    _output.WriteLine(e.ToString());
                }

                return Task.CompletedTask;
            });

        _output.WriteLine($"startup {result.StartupMs} ms, stalls {result.StallCount} ({result.StalledMs} ms), ended={result.Ended}, "
            + $"fragments per level {string.Join(", ", result.FragmentsPerLevel.OrderBy(kv => kv.Key).Select(kv => $"{Height(result, kv.Key)}p:{kv.Value}"))}, "
            + $"{result.BytesLoaded} fragment bytes, throttle {throttleKbit} kbit at {ThrottleAt} s, wall {result.WallMs} ms, dropped frames {result.DroppedFrames}/{result.TotalFrames}");

        Expect(result.Ended, "the video did not reach 'ended'", result, edge);
        Expect(result.Errors.All(e => !e.Fatal), "the player reported a fatal error", result, edge);
        Expect(result.Network.Failed.Count == 0, "requests failed", result, edge);
        Expect(result.StartupMs is < 2000, $"startup took {result.StartupMs} ms (limit 2000)", result, edge);
        Expect(result.StallCount == 0, $"{result.StallCount} stalls, {result.StalledMs} ms in all", result, edge);

        // Adaptive bitrate: at least two renditions had fragments, and after the throttle the player fetched a
        // lower rendition than the one it was on, ending on one that fits the throttled link.
        Expect(result.LevelsWithFragments.Count >= 2, $"fragments from only levels [{string.Join(',', result.LevelsWithFragments)}]", result, edge);
        var throttle = Assert.Single(result.Throttles);
        var before = result.Fragments.Where(f => f.Type == "main" && f.Sn >= 0 && f.T <= throttle.T).ToList();
        var after = result.MainFragmentsAfter(throttle.T).ToList();
        Expect(before.Count > 0 && after.Count > 0, $"{before.Count} fragments before the throttle and {after.Count} after: it came too late or too early", result, edge);
        var levelBefore = before[^1].Level;
        Expect(result.Levels[levelBefore].Bitrate > throttleKbit * 1000L,
            $"the player was on level {levelBefore} ({result.Levels[levelBefore].Bitrate} bit/s) when throttled to {throttleKbit} kbit/s: it never climbed on an unthrottled link", result, edge);
        Expect(after.Any(f => f.Level < levelBefore), $"no fragment below level {levelBefore} after the throttle", result, edge);
        var finalBitrate = result.Levels[after[^1].Level].Bitrate;
        Expect(finalBitrate < throttleKbit * 1000L, $"the last fragment's rendition ({finalBitrate} bit/s) does not fit the {throttleKbit} kbit/s link", result, edge);
    }

    private static async Task WarmUpAsync(CacheNodeProcess edge)
    {
        // A production edge is warm: compile the HTTPS, miss and file-origin paths with an object the player
        // never asks for, so startup measures a cold title, not a cold process. The browser page is on another
        // origin, so the response must carry CORS headers.
        using var http = edge.CreateHttpsClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{PackagedTitle.TitleId}/poster.jpg");
        request.Headers.Add("Origin", "http://127.0.0.1:1");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"warm-up GET poster.jpg: {(int)response.StatusCode}\n{edge.Process.Tail()}");
        Assert.True(response.Headers.Contains("Access-Control-Allow-Origin"), $"no Access-Control-Allow-Origin on a CORS request:\n{response.Headers}");
    }

    private static string Height(PlaybackResult result, int level)
        => level >= 0 && level < result.Levels.Count ? result.Levels[level].Height.ToString(CultureInfo.InvariantCulture) : $"level{level}";

    private static void Expect(bool condition, string what, PlaybackResult result, CacheNodeProcess edge)
    {
        if (!condition)
        {
            Assert.Fail($"{what}\n{result.Describe()}\nedge log ({edge.Process.LogPath}):\n{edge.Process.Tail(300)}");
        }
    }
}
