using System.Net;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Tests.Support;

namespace Cdn.ControlPlane.Tests.Functional;

/// <summary>Coverage zones reloaded from the watched file and the API; bad files rejected while the old zones answer.</summary>
public sealed class CoverageZoneReloadTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartAsync(c => c["Health"]!["HeartbeatInterval"] = "00:01:00");
        await _host.RegisterAsync("edge-ams-1", "ams", NodeRole.Edge, "10.10.0.1");
        await _host.RegisterAsync("edge-fra-1", "fra", NodeRole.Edge, "10.20.0.1");
        await _host.HeartbeatAsync("edge-ams-1");
        await _host.HeartbeatAsync("edge-fra-1");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<List<string>> AnswerAsync(string subnet)
        => (await DigTool.Dig().QueryAsync(_host.DnsPort, "video.cdn.test", "A", $"+subnet={subnet}")).Addresses;

    private async Task<long> RejectionsAsync()
    {
        var line = (await _host.MetricsAsync()).Split('\n').First(l => l.StartsWith("controlplane_coverage_zone_reloads_total{result=\"rejected\"}", StringComparison.Ordinal));
        return long.Parse(line[(line.LastIndexOf(' ') + 1)..]);
    }

    private async Task WriteFileAsync(string json)
    {
        var temp = _host.CzfPath + ".new";
        await File.WriteAllTextAsync(temp, json);
        File.Move(temp, _host.CzfPath, overwrite: true);
    }

    [Fact]
    public async Task A_changed_file_is_applied_and_a_bad_one_is_rejected_while_the_old_zones_keep_answering()
    {
        Assert.Equal(["10.10.0.1"], await AnswerAsync("10.1.0.0/24"));

        // Good file: 10.1.0.0/16 moves to fra.
        await WriteFileAsync("""{ "coverageZones": { "fra": { "network": ["10.1.0.0/16"] }, "ams": { "network": ["10.7.0.0/16"] } } }""");
        await Eventually.HoldsAsync(async () => (await AnswerAsync("10.1.0.0/24")).SequenceEqual(["10.20.0.1"]), TimeSpan.FromSeconds(10), "the new file taking effect");

        // Bad file: rejected, the zones above stay.
        var before = await RejectionsAsync();
        await WriteFileAsync("""{ "coverageZones": { "ams": { "network": ["10.1.0.0/99"] } } }""");
        await Eventually.HoldsAsync(async () => await RejectionsAsync() > before, TimeSpan.FromSeconds(10), "the bad file being rejected");

        Assert.Equal(["10.20.0.1"], await AnswerAsync("10.1.0.0/24"));
        Assert.Equal(["10.10.0.1"], await AnswerAsync("10.7.0.0/24"));
        Assert.Contains("10.7.0.0/16", await _host.Client.GetCoverageZonesAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_put_through_the_api_applies_at_once_and_rewrites_the_file()
    {
        const string Moved = """{ "revision": "r2", "coverageZones": { "fra": { "network": ["10.1.0.0/16"] } } }""";

        var summary = await _host.Client.PutCoverageZonesAsync(Moved);

        Assert.Equal((1, 1, "r2"), (summary.Zones, summary.Networks, summary.Revision));
        Assert.Equal(["10.20.0.1"], await AnswerAsync("10.1.0.0/24"));
        Assert.Equal(Moved, await File.ReadAllTextAsync(_host.CzfPath));
    }

    [Fact]
    public async Task A_bad_put_is_a_400_listing_every_error_and_changes_nothing()
    {
        using var content = new StringContent("""{ "coverageZones": { "a": { "network": ["x"], "network6": ["10.0.0.0/8"] } } }""");
        var response = await _host.Http.PutAsync(Cdn.Contracts.ControlPlaneRoutes.CoverageZones, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("'x' is not a CIDR network", body, StringComparison.Ordinal);
        Assert.Contains("list it under network", body, StringComparison.Ordinal);
        Assert.Equal(["10.10.0.1"], await AnswerAsync("10.1.0.0/24"));
    }
}
