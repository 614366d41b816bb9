using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Caching;

/// <summary>
/// The upstream body a fill is reading: the response it belongs to, the server that sent it, the servers that
/// already failed this fill, and the idle deadline of each read.
/// </summary>
internal sealed class UpstreamBody : IAsyncDisposable
{
    private readonly CancellationTokenSource _idle;

    public UpstreamBody(HttpResponseMessage response, UpstreamServer? server, Stream body, IReadOnlyList<UpstreamServer> failed, CancellationToken stopping)
    {
        Response = response;
        Server = server;
        Body = body;
        Failed = failed;
        _idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    public HttpResponseMessage Response { get; }

    public UpstreamServer? Server { get; }

    public Stream Body { get; }

    /// <summary>Servers whose bodies broke earlier in this fill (not asked again to resume it).</summary>
    public IReadOnlyList<UpstreamServer> Failed { get; }

    /// <summary>Reads, giving up (OperationCanceledException) when nothing arrives within <paramref name="idleTimeout"/>.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, TimeSpan idleTimeout)
    {
        _idle.CancelAfter(idleTimeout);
        return await Body.ReadAsync(buffer, _idle.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Body.DisposeAsync();
        Response.Dispose();
        _idle.Dispose();
    }
}
