namespace Cdn.Proxy.Caching;

/// <summary>What a fill that ended without a body tells its readers.</summary>
internal abstract record FillOutcome
{
    /// <summary>The response is not cacheable: each reader fetches it itself.</summary>
    public sealed record Pass(string Reason) : FillOutcome;

    /// <summary>The cache changed under the fill (a Vary stub was stored): look up again.</summary>
    public sealed record Retry : FillOutcome;

    /// <summary>Upstream failed: answer this status (or stale, if allowed) instead of trying again.</summary>
    public sealed record Error(int Status, string Reason) : FillOutcome;
}
