namespace Cdn.Contracts;

/// <summary>Paths of the control-plane HTTP API (JSON, bearer-token auth), version 1.</summary>
public static class ControlPlaneRoutes
{
    /// <summary>Prefix of every v1 route.</summary>
    public const string Prefix = "/api/v1";

    /// <summary>POST a <see cref="Nodes.NodeRegistration"/>; GET lists <see cref="Nodes.NodeStatus"/>.</summary>
    public const string Nodes = Prefix + "/nodes";

    /// <summary>GET one <see cref="Nodes.NodeStatus"/>.</summary>
    public const string NodeById = Prefix + "/nodes/{id}";

    /// <summary>POST a <see cref="Nodes.NodeHeartbeat"/> for node {id}.</summary>
    public const string Heartbeat = Prefix + "/nodes/{id}/heartbeat";

    /// <summary>POST: stop routing new clients to node {id}.</summary>
    public const string Drain = Prefix + "/nodes/{id}/drain";

    /// <summary>POST: route clients to node {id} again.</summary>
    public const string Undrain = Prefix + "/nodes/{id}/undrain";

    /// <summary>GET lists sites; PUT replaces one site.</summary>
    public const string Sites = Prefix + "/sites";

    /// <summary>GET the coverage zone file in force; PUT a new one (Traffic Control CZF JSON).</summary>
    public const string CoverageZones = Prefix + "/czf";

    /// <summary>POST a coverage zone file: checked like a PUT, never applied (every error in the problem).</summary>
    public const string CoverageZonesValidate = Prefix + "/czf/validate";

    /// <summary>GET <c>?client=&lt;ip&gt;</c>: which site and edges would answer, and why.</summary>
    public const string Route = Prefix + "/route";

    /// <summary>POST a <see cref="Catalog.TitlePublished"/>; GET lists the catalog (<see cref="Catalog.TitleSummary"/>).</summary>
    public const string Titles = Prefix + "/catalog/titles";

    /// <summary>GET one title with every object (<see cref="Catalog.TitlePublished"/>); DELETE withdraws it (plans release it).</summary>
    public const string TitleById = Prefix + "/catalog/titles/{id}";

    /// <summary>POST a <see cref="Purge.PurgeRequest"/>; GET lists purges.</summary>
    public const string Purges = Prefix + "/purges";

    /// <summary>GET one <see cref="Purge.PurgeStatus"/>.</summary>
    public const string PurgeById = Prefix + "/purges/{id}";

    /// <summary>Fill plans per site: POST a <see cref="Fill.FillPlanRequest"/> computes one; GET <c>?site=</c> lists <see cref="Fill.FillPlanSummary"/>.</summary>
    public const string FillPlans = Prefix + "/fill/plans";

    /// <summary>GET the active <see cref="Fill.FillPlan"/> of a site (404 when none was pushed).</summary>
    public const string FillPlanBySite = Prefix + "/fill/plans/{site}";

    /// <summary>GET one version of a site's plan (<see cref="Fill.FillPlan"/>; <c>?summary=true</c> for its <see cref="Fill.FillPlanSummary"/>).</summary>
    public const string FillPlanVersion = Prefix + "/fill/plans/{site}/{version:long}";

    /// <summary>POST: make a version the site's active plan.</summary>
    public const string FillPlanPush = Prefix + "/fill/plans/{site}/{version:long}/push";

    /// <summary>GET one edge's part of the site's active plan (items listing the node, and its peers).</summary>
    public const string FillPlanForNode = Prefix + "/fill/plans/{site}/nodes/{id}";

    /// <summary>POST a <see cref="Fill.FillProgress"/> (nodes); GET <c>?site=</c> lists the latest report per node.</summary>
    public const string FillProgress = Prefix + "/fill/progress";

    /// <summary>POST a <see cref="Fill.FillPinRequest"/>; GET lists <see cref="Fill.FillPin"/>.</summary>
    public const string FillPins = Prefix + "/fill/pins";

    /// <summary>DELETE one pin.</summary>
    public const string FillPinById = Prefix + "/fill/pins/{id}";

    /// <summary>GET <see cref="Nodes.FleetStats"/> (<c>?site=&amp;top=&amp;hours=</c>).</summary>
    public const string Stats = Prefix + "/stats";

    /// <summary>The OpenAPI document.</summary>
    public const string OpenApi = "/openapi/v1.json";
}

/// <summary>Paths of the admin API every cache node (edge, shield) serves on its admin listener.</summary>
public static class NodeAdminRoutes
{
    /// <summary>POST a <see cref="Purge.NodePurgeCommand"/>: invalidate a URL or prefix on this node.</summary>
    public const string Purge = "/admin/purge";

    /// <summary>GET this node's cache statistics.</summary>
    public const string CacheStats = "/admin/cache/stats";
}
