namespace Packager.Api;

/// <summary>Paths of the packager's HTTP API (JSON, bearer-token auth), version 1.</summary>
internal static class PackagerRoutes
{
    /// <summary>POST submits a job; GET lists jobs (<c>?state=Running&amp;limit=50</c>).</summary>
    public const string Jobs = "/api/v1/jobs";

    /// <summary>GET one job with stage, progress and result.</summary>
    public const string Job = "/api/v1/jobs/{id}";

    /// <summary>POST: cancel a queued or running job.</summary>
    public const string Cancel = "/api/v1/jobs/{id}/cancel";

    /// <summary>POST: queue a failed or cancelled job again.</summary>
    public const string Retry = "/api/v1/jobs/{id}/retry";
}
