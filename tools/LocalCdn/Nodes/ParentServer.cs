namespace LocalCdn.Nodes;

/// <summary>A parent (shield) as a child cache lists it: every edge must name its parents alike for the rendezvous ring.</summary>
/// <param name="Name">Name the ring hashes (and metrics label).</param>
/// <param name="Url">Its cleartext base URL.</param>
/// <param name="HealthCheckUrl">Its admin <c>/readyz</c>, probed so a dead or wedged shield is skipped without live requests.</param>
public sealed record ParentServer(string Name, Uri Url, Uri? HealthCheckUrl = null);
