using System.Net;
using Cdn.ControlPlane.CoverageZones;

namespace Cdn.ControlPlane.Tests.CoverageZones;

public sealed class CoverageZoneFileTests
{
    // The sample from Apache Traffic Control's documentation, unchanged.
    private const string TrafficControlSample = """
        {
          "coverageZones": {
            "cache-group-01": {
              "coordinates": { "latitude": 1.1, "longitude": 2.2 },
              "network6": [ "1234:5678::/64", "1234:5679::/64" ],
              "network": [ "192.168.8.0/24", "192.168.9.0/24" ]
            },
            "cache-group-02": {
              "coordinates": { "latitude": 3.3, "longitude": 4.4 },
              "network6": [ "1234:567a::/64", "1234:567b::/64" ],
              "network": [ "192.168.4.0/24", "192.168.5.0/24" ]
            }
          },
          "customerName": "Example",
          "revision": "2018-01-01T00:00:00.000Z"
        }
        """;

    private static string Zone(CoverageZoneMap map, string address)
    {
        var match = map.Lookup(IPAddress.Parse(address), 128);
        return match.Found ? map.Zones[match.Value] : "-";
    }

    [Fact]
    public void The_traffic_control_sample_loads_unchanged()
    {
        var map = CoverageZoneFile.Parse(TrafficControlSample, out var errors);

        Assert.Empty(errors);
        Assert.NotNull(map);
        Assert.Equal(["cache-group-01", "cache-group-02"], map.Zones);
        Assert.Equal(8, map.NetworkCount);
        Assert.Equal("2018-01-01T00:00:00.000Z", map.Revision);
        Assert.Equal("cache-group-01", Zone(map, "192.168.9.77"));
        Assert.Equal("cache-group-02", Zone(map, "1234:567b::1"));
        Assert.Equal("-", Zone(map, "192.168.6.1"));
    }

    [Fact]
    public void Host_bits_below_the_prefix_are_masked_and_a_bare_address_is_a_host_route()
    {
        var map = CoverageZoneFile.Parse("""{"coverageZones":{"a":{"network":["10.1.2.3/16","192.0.2.7"]}}}""", out _)!;

        Assert.Equal("a", Zone(map, "10.1.200.1"));
        Assert.Equal("a", Zone(map, "192.0.2.7"));
        Assert.Equal("-", Zone(map, "192.0.2.8"));
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{"zones":{}}""", "missing \"coverageZones\" object")]
    [InlineData("""{"coverageZones":{"a":[]}}""", "coverageZones.a: must be an object")]
    [InlineData("""{"coverageZones":{"a":{"network":"10.0.0.0/8"}}}""", "coverageZones.a.network: must be an array")]
    [InlineData("""{"coverageZones":{"a":{"network":[1]}}}""", "coverageZones.a.network[0]: must be a string")]
    [InlineData("""{"coverageZones":{"a":{"network":["10.0.0.0/33"]}}}""", "'10.0.0.0/33' is not a CIDR network")]
    [InlineData("""{"coverageZones":{"a":{"network":["banana"]}}}""", "'banana' is not a CIDR network")]
    [InlineData("""{"coverageZones":{"a":{"network":["2001:db8::/32"]}}}""", "is IPv6; list it under network6")]
    [InlineData("""{"coverageZones":{"a":{"network6":["10.0.0.0/8"]}}}""", "is IPv4; list it under network")]
    [InlineData("""{"coverageZones":{"a":{"network":["10.0.0.0/8"]},"b":{"network":["10.0.0.0/8"]}}}""", "'10.0.0.0/8' is also in zone 'a'")]
    public void A_bad_file_is_rejected_with_an_error_that_names_the_problem(string json, string expected)
    {
        var map = CoverageZoneFile.Parse(json, out var errors);

        Assert.Null(map);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_error_in_a_file_is_reported_not_just_the_first()
    {
        CoverageZoneFile.Parse("""{"coverageZones":{"a":{"network":["x","y"],"network6":["z"]}}}""", out var errors);

        Assert.Equal(3, errors.Count);
    }
}
