namespace Packager.Api;

/// <summary>GET /api/v1/jobs answer.</summary>
internal sealed record JobList(IReadOnlyList<JobView> Jobs);
