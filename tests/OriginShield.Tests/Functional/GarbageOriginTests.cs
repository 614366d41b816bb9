using System.Net;

namespace OriginShield.Tests.Functional;

/// <summary>An origin that sends broken responses: nothing partial is stored, clients get a clean error or stale, the shield keeps serving.</summary>
public sealed class GarbageOriginTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("garbage");
    private ScriptedOrigin _origin = null!;
    private TestShield _shield = null!;

    public async Task InitializeAsync()
    {
        _origin = new ScriptedOrigin();
        _shield = await TestShield.StartAsync(_dir.Path, [_origin.Url]);
    }

    public async Task DisposeAsync()
    {
        await _shield.DisposeAsync();
        await _origin.DisposeAsync();
        _dir.Dispose();
    }

    private const string Head200 = "HTTP/1.1 200 OK\nCache-Control: max-age=600\nContent-Type: video/mp4\nConnection: close\n";

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_not_stored_and_a_later_request_fetches_again()
    {
        _origin.Script("/g/short.m4s", ScriptedOrigin.Send(Head200 + "Content-Length: 100000\n", new byte[40_000]));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => _shield.Http.GetByteArrayAsync("/g/short.m4s"));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => _shield.Http.GetByteArrayAsync("/g/short.m4s"));

        Assert.Equal(2, _origin.Hits("/g/short.m4s"));
        Assert.Equal(0, _shield.Cache.Engine.GetStatistics().Objects);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_body_longer_than_its_content_length_is_stored_cut_at_the_declared_length()
    {
        var body = TestOrigin.Bytes(5000, 3);
        _origin.Script("/g/long.m4s", ScriptedOrigin.Send(Head200 + "Content-Length: 1000\n", body));

        var first = await _shield.Http.GetByteArrayAsync("/g/long.m4s");
        var second = await _shield.Http.GetByteArrayAsync("/g/long.m4s");

        Assert.Equal(body[..1000], first);
        Assert.Equal(body[..1000], second);
        Assert.Equal(1, _origin.Hits("/g/long.m4s"));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_connection_reset_mid_body_is_not_stored_and_the_client_sees_a_broken_response_not_a_short_success()
    {
        _origin.Script("/g/reset.m4s", ScriptedOrigin.Reset(Head200 + "Content-Length: 200000\n", new byte[64_000]));

        var error = await Record.ExceptionAsync(() => _shield.Http.GetByteArrayAsync("/g/reset.m4s"));

        Assert.NotNull(error);
        Assert.Equal(0, _shield.Cache.Engine.GetStatistics().Objects);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => _shield.Http.GetByteArrayAsync("/g/reset.m4s"));
        Assert.Equal(2, _origin.Hits("/g/reset.m4s"));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_5xx_storm_gives_clients_clean_errors_or_stale_and_reaches_the_origin_once_per_wave()
    {
        var body = TestOrigin.Bytes(3000, 4);
        var storm = false;
        _origin.Script("/g/storm.m4s", socket => Volatile.Read(ref storm)
            ? ScriptedOrigin.Send("HTTP/1.1 503 Service Unavailable\nContent-Length: 4\nConnection: close\n", "busy"u8.ToArray())(socket)
            : ScriptedOrigin.Send("HTTP/1.1 200 OK\nCache-Control: max-age=0, stale-if-error=600\nETag: \"v1\"\nConnection: close\nContent-Length: 3000\n", body)(socket));
        _origin.Script("/g/storm-cold.m4s", ScriptedOrigin.Send("HTTP/1.1 500 Internal Server Error\nContent-Length: 4\nConnection: close\n", "oops"u8.ToArray()));
        Assert.Equal(body, await _shield.Http.GetByteArrayAsync("/g/storm.m4s"));

        Volatile.Write(ref storm, true);
        var stale = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _shield.Http.GetAsync("/g/storm.m4s")));
        var cold = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _shield.Http.GetAsync("/g/storm-cold.m4s")));

        foreach (var response in stale)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("STALEERROR", response.Headers.GetValues("X-Cache").Single(), StringComparison.Ordinal);
            Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        }

        Assert.All(cold, r => Assert.Equal(HttpStatusCode.BadGateway, r.StatusCode));
        Assert.InRange(_origin.Hits("/g/storm-cold.m4s"), 1, 5); // coalesced: not one per client
        Assert.Equal(1, _shield.Cache.Engine.GetStatistics().Objects); // the stale copy, nothing from the storm
        await AssertStillServingAsync();
    }

    private async Task AssertStillServingAsync()
    {
        var body = TestOrigin.Bytes(2000, 9);
        var path = $"/g/fine-{Guid.NewGuid():N}.m4s";
        _origin.Script(path, ScriptedOrigin.Send(Head200 + "Content-Length: 2000\n", body));
        Assert.Equal(body, await _shield.Http.GetByteArrayAsync(path));
        Assert.Equal(HttpStatusCode.OK, (await _shield.Admin.GetAsync("/healthz")).StatusCode);
    }
}
