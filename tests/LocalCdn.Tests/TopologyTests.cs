using LocalCdn.Chain;

namespace LocalCdn.Tests;

public sealed class TopologyTests
{
    [Fact]
    public void The_main_job_has_two_shields_and_one_edge_per_site_on_their_own_loopback_addresses()
    {
        var t = Topology.Create("/tmp/state");

        Assert.Equal(["shield-1", "shield-2"], t.Shields.Select(s => s.Name));
        Assert.Equal(["edge-ams-1", "edge-fra-1"], t.Edges.Select(e => e.Name));
        Assert.Equal(["127.0.0.11", "127.0.0.12"], t.Edges.Select(e => e.Address));
        Assert.Equal(["127.0.0.21", "127.0.0.22"], t.Shields.Select(s => s.Address));
        Assert.Equal("ams", t.EdgeOf("ams").Site);
        Assert.Equal("video.cdn.test", t.CdnHost);
    }

    [Fact]
    public void Every_port_of_the_topology_is_distinct()
    {
        var t = Topology.Create("/tmp/state");

        var ports = new List<int> { t.ApiPort, t.DnsPort, t.PackagerPort };
        ports.AddRange(t.Shields.SelectMany(s => new[] { s.Ports.Http, s.Ports.Admin }));
        ports.AddRange(t.Edges.SelectMany(e => new[] { e.Ports.Http, e.Ports.Https, e.Ports.Admin }));
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 1024, 65535));
    }

    [Fact]
    public void Everything_lives_under_the_state_directory()
    {
        var t = Topology.Create("relative/state");

        Assert.True(Path.IsPathRooted(t.StateDirectory));
        foreach (var path in new[] { t.OriginRoot, t.SourceDirectory, t.SecretsDirectory, t.ControlPlaneDirectory, t.PackagerDirectory, t.ToolLogDirectory, t.NodeDirectory("edge-ams-1") })
        {
            Assert.StartsWith(t.StateDirectory + "/", path, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_unknown_site_is_named_with_the_ones_there_are()
    {
        var t = Topology.Create("/tmp/state");

        var e = Assert.Throws<ArgumentException>(() => t.EdgeOf("lon"));
        Assert.Contains("no edge in site 'lon' (sites: ams, fra)", e.Message, StringComparison.Ordinal);
    }
}
