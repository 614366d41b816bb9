using System.Text.Json;

namespace Cdn.Proxy.Tests.Functional;

/// <summary>
/// Upstreams follow the configuration file through reloads (the daemon reloads on SIGHUP and on file edits):
/// new fills go to the new servers, an invalid edit changes nothing, and a fill under way when the upstreams
/// change completes.
/// </summary>
public sealed class UpstreamReloadTests
{
    [Fact]
    public async Task An_edited_origin_list_is_used_by_new_fills_after_a_reload()
    {
        using var dir = new TempDirectory("upreload");
        await using var first = await TestOrigin.StartAsync();
        await using var second = await TestOrigin.StartAsync();
        first.Serve("/a.m4s", TestOrigin.Bytes(1000, 1), ("Cache-Control", "max-age=600"));
        second.Serve("/b.m4s", TestOrigin.Bytes(1000, 2), ("Cache-Control", "max-age=600"));
        var file = dir.Combine("edge.json");
        await WriteOriginsAsync(file, first.Url);
        await using var edge = await TestEdge.StartAsync(dir.Path, [], configFile: file);
        Assert.Equal(TestOrigin.Bytes(1000, 1), await edge.Http.GetByteArrayAsync("/a.m4s"));

        await WriteOriginsAsync(file, second.Url);
        edge.ReloadConfiguration();

        Assert.Equal(TestOrigin.Bytes(1000, 2), await edge.Http.GetByteArrayAsync("/b.m4s"));
        Assert.Equal(1, second.Hits("/b.m4s"));
        Assert.Equal(0, first.Hits("/b.m4s"));
        Assert.Equal(new Uri(second.Url), edge.Cache.Upstream.Pool.Origins.Single().BaseUri);
    }

    [Fact]
    public async Task An_invalid_edit_is_rejected_and_the_upstreams_in_force_stay()
    {
        using var dir = new TempDirectory("upreload");
        await using var origin = await TestOrigin.StartAsync();
        origin.Serve("/c.m4s", TestOrigin.Bytes(1000, 3), ("Cache-Control", "max-age=600"));
        var file = dir.Combine("edge.json");
        await WriteOriginsAsync(file, origin.Url);
        await using var edge = await TestEdge.StartAsync(dir.Path, [], configFile: file);
        var before = edge.Cache.Upstream;

        await WriteOriginsAsync(file, "ftp://not-an-origin", connectTimeout: "00:00:00.001");
        edge.ReloadConfiguration();

        Assert.Same(before, edge.Cache.Upstream);
        Assert.Equal(TestOrigin.Bytes(1000, 3), await edge.Http.GetByteArrayAsync("/c.m4s"));
        Assert.Equal(1, origin.Hits("/c.m4s"));
    }

    [Fact]
    public async Task A_reload_that_leaves_the_upstreams_as_they_were_keeps_the_client_and_its_server_health()
    {
        using var dir = new TempDirectory("upreload");
        await using var origin = await TestOrigin.StartAsync();
        var file = dir.Combine("edge.json");
        await WriteOriginsAsync(file, origin.Url);
        await using var edge = await TestEdge.StartAsync(dir.Path, [], configFile: file);
        var before = edge.Cache.Upstream;

        edge.ReloadConfiguration();

        Assert.Same(before, edge.Cache.Upstream);
    }

    [Fact]
    public async Task A_fill_under_way_when_the_upstreams_change_completes()
    {
        using var dir = new TempDirectory("upreload");
        await using var first = await TestOrigin.StartAsync();
        await using var second = await TestOrigin.StartAsync();
        var body = TestOrigin.Bytes(512 * 1024, 4);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.ServeHeldBack("/slow.m4s", body, 64 * 1024, release.Task, ("Cache-Control", "max-age=600"));
        var file = dir.Combine("edge.json");
        await WriteOriginsAsync(file, first.Url);
        await using var edge = await TestEdge.StartAsync(dir.Path, [], configFile: file);
        using var response = await edge.Http.GetAsync("/slow.m4s", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var head = new byte[64 * 1024];
        await stream.ReadExactlyAsync(head);

        await WriteOriginsAsync(file, second.Url);
        edge.ReloadConfiguration();
        release.SetResult();
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest);

        Assert.Equal(body, head.Concat(rest.ToArray()).ToArray());
        using var again = await edge.Http.GetAsync("/slow.m4s");
        Assert.StartsWith("HIT", again.Headers.GetValues("X-Cache").Single(), StringComparison.Ordinal);
        Assert.Equal(0, second.Hits("/slow.m4s"));
    }

    private static async Task WriteOriginsAsync(string file, string url, string connectTimeout = "00:00:01")
    {
        var json = JsonSerializer.Serialize(new
        {
            Edge = new { Upstreams = new { Origins = new[] { new { Url = url } }, ConnectTimeout = connectTimeout } },
        });
        await File.WriteAllTextAsync(file, json);
    }
}
