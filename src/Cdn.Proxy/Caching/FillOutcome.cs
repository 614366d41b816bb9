namespace Cdn.Proxy.Caching;

/// <summary>What a fill that ended without a body tells its readers.</summary>
internal abstract record FillOutcome
{
    /// <summary>
    /// The response is not cacheable. The first reader to claim <see cref="Response"/> relays the leader's
    /// upstream response (so the request that caused the fill costs one fetch, not two); the others fetch
    /// for themselves.
    /// </summary>
    public sealed record Pass(string Reason) : FillOutcome
    {
        public PassResponse? Response { get; init; }
    }

    /// <summary>The cache changed under the fill (a Vary stub was stored): look up again.</summary>
    public sealed record Retry : FillOutcome;

    /// <summary>Upstream failed: answer this status (or stale, if allowed) instead of trying again.</summary>
    public sealed record Error(int Status, string Reason) : FillOutcome;
}

/// <summary>An upstream response waiting for one reader to relay it; disposed if nobody claims it in time.</summary>
internal sealed class PassResponse
{
    private HttpResponseMessage? _response;

    public PassResponse(HttpResponseMessage response, TimeProvider time, TimeSpan unclaimedAfter)
    {
        _response = response;
        time.CreateTimer(static state => ((PassResponse)state!).Take()?.Dispose(), this, unclaimedAfter, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The response for the first caller, null for the rest.</summary>
    public HttpResponseMessage? Take() => Interlocked.Exchange(ref _response, null);
}
