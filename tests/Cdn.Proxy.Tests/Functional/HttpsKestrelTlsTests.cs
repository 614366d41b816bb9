using System.Net.Http.Headers;

namespace Cdn.Proxy.Tests.Functional;

/// <summary>With <c>FastHttp1: false</c> Kestrel's own TLS layer and HTTP stacks serve the HTTPS listener.</summary>
public sealed class HttpsKestrelTlsTests() : EdgeOverOriginTests("https-kestrel", new() { ["Edge:Listeners:Https:FastHttp1"] = "false" }, https: true)
{
    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Kestrels_tls_serves_bodies_and_ranges_over_http1_and_http2(string version)
    {
        var body = TestOrigin.Bytes(1_500_000, 41);
        var path = $"/t1/k{version}.m4s";
        Origin.Serve(path, body, ("Cache-Control", "max-age=600"));
        using var client = Edge.HttpsClient(Version.Parse(version));

        var miss = await client.GetByteArrayAsync(path);
        var hit = await client.GetAsync(path);
        var range = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Range = new RangeHeaderValue(70_000, 200_000) } });

        Assert.Equal(body, miss);
        Assert.Equal(Version.Parse(version), hit.Version);
        Assert.Equal(body, await hit.Content.ReadAsByteArrayAsync());
        Assert.Equal(body.AsSpan(70_000, 130_001).ToArray(), await range.Content.ReadAsByteArrayAsync());
    }
}
