using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Cdn.Proxy.Tests.Functional;

public sealed class FillResumeTests
{
    /// <summary>A parent that breaks every full transfer after <paramref name="breakAfter"/> bytes but answers byte ranges (If-Range honoured).</summary>
    private static Func<HttpContext, Task> Flaky(byte[] body, string etag, int breakAfter) => async c =>
    {
        c.Response.Headers.CacheControl = "max-age=600";
        c.Response.Headers.ETag = etag;
        var range = c.Request.Headers.Range.ToString();
        if (range.StartsWith("bytes=", StringComparison.Ordinal) && c.Request.Headers.IfRange.ToString() == etag)
        {
            var from = int.Parse(range["bytes=".Length..].TrimEnd('-'), CultureInfo.InvariantCulture);
            c.Response.StatusCode = 206;
            c.Response.Headers.ContentRange = $"bytes {from}-{body.Length - 1}/{body.Length}";
            c.Response.ContentLength = body.Length - from;
            await c.Response.Body.WriteAsync(body.AsMemory(from));
            return;
        }

        c.Response.ContentLength = body.Length;
        await c.Response.Body.WriteAsync(body.AsMemory(0, breakAfter));
        await c.Response.Body.FlushAsync();
        await Task.Delay(100);
        c.Abort(); // connection reset mid-body
    };

    [Fact]
    public async Task A_body_that_breaks_mid_way_is_resumed_from_the_next_server_and_the_client_never_notices()
    {
        using var dir = new TempDirectory("resume");
        await using var parentA = await TestOrigin.StartAsync();
        await using var parentB = await TestOrigin.StartAsync();
        var body = TestOrigin.Bytes(1_000_000, 21);
        parentA.Route("/r/seg.m4s", Flaky(body, "\"v1\"", 300_000));
        parentB.Route("/r/seg.m4s", Flaky(body, "\"v1\"", 300_000));
        await using var edge = await TestEdge.StartAsync(dir.Path, [parentA.Url, parentB.Url], parents: true);

        var first = await edge.Http.GetByteArrayAsync("/r/seg.m4s");
        var second = await edge.Http.GetAsync("/r/seg.m4s");

        Assert.Equal(body, first);
        Assert.Equal(body, await second.Content.ReadAsByteArrayAsync());
        var requests = parentA.Requests("/r/seg.m4s").Concat(parentB.Requests("/r/seg.m4s")).ToList();
        Assert.Equal(2, requests.Count); // one full transfer that broke, one range for the rest; the second client read the stored copy
        Assert.Single(requests, h => h.Range.Count == 0);
        Assert.Single(requests, h => h.Range.ToString().StartsWith("bytes=", StringComparison.Ordinal) && h.IfRange == "\"v1\"");
        var metrics = await edge.Admin.GetStringAsync("/metrics");
        Assert.Matches("cdn_upstream_resumes_total\\{outcome=\"resumed\",service=\"edge\",upstream=\"127\\.0\\.0\\.1:[0-9]+\"\\} 1", metrics);
    }

    [Fact]
    public async Task Without_a_strong_validator_a_broken_body_is_not_resumed_and_nothing_is_stored()
    {
        using var dir = new TempDirectory("resume");
        await using var parentA = await TestOrigin.StartAsync();
        await using var parentB = await TestOrigin.StartAsync();
        var body = TestOrigin.Bytes(600_000, 22);
        parentA.Route("/r/weak.m4s", Flaky(body, "W/\"v1\"", 200_000));
        parentB.Route("/r/weak.m4s", Flaky(body, "W/\"v1\"", 200_000));
        await using var edge = await TestEdge.StartAsync(dir.Path, [parentA.Url, parentB.Url], parents: true);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => edge.Http.GetByteArrayAsync("/r/weak.m4s"));

        Assert.Equal(1, parentA.Hits("/r/weak.m4s") + parentB.Hits("/r/weak.m4s"));
        Assert.Equal(0, edge.Cache.Engine.GetStatistics().Objects);
    }

    [Fact]
    public async Task A_range_answer_for_another_representation_is_refused()
    {
        using var dir = new TempDirectory("resume");
        await using var parentA = await TestOrigin.StartAsync();
        await using var parentB = await TestOrigin.StartAsync();
        var body = TestOrigin.Bytes(600_000, 23);
        // Each parent has a different version: a resume would splice two objects together.
        parentA.Route("/r/changed.m4s", Flaky(body, "\"a\"", 200_000));
        parentB.Route("/r/changed.m4s", Flaky(body, "\"b\"", 200_000));
        await using var edge = await TestEdge.StartAsync(dir.Path, [parentA.Url, parentB.Url], parents: true);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => edge.Http.GetByteArrayAsync("/r/changed.m4s"));

        Assert.Equal(0, edge.Cache.Engine.GetStatistics().Objects);
    }
}
