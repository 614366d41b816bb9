using System.Text.Json;
using System.Text.Json.Serialization;
using Cdn.Contracts.Catalog;
using Cdn.Contracts.Fill;
using Cdn.Contracts.Nodes;
using Cdn.Contracts.Purge;
using Cdn.Contracts.Routing;

namespace Cdn.Contracts;

/// <summary>JSON settings shared by every party: camelCase, enums as strings, no nulls written.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(NodeRegistration))]
[JsonSerializable(typeof(NodeRegistrationAccepted))]
[JsonSerializable(typeof(NodeHeartbeat))]
[JsonSerializable(typeof(HeartbeatAccepted))]
[JsonSerializable(typeof(NodeStatus))]
[JsonSerializable(typeof(IReadOnlyList<NodeStatus>))]
[JsonSerializable(typeof(TitlePublished))]
[JsonSerializable(typeof(IReadOnlyList<TitlePublished>))]
[JsonSerializable(typeof(PurgeRequest))]
[JsonSerializable(typeof(NodePurgeCommand))]
[JsonSerializable(typeof(NodePurgeResult))]
[JsonSerializable(typeof(PurgeStatus))]
[JsonSerializable(typeof(IReadOnlyList<PurgeStatus>))]
[JsonSerializable(typeof(TitleSummary))]
[JsonSerializable(typeof(IReadOnlyList<TitleSummary>))]
[JsonSerializable(typeof(FillPlan))]
[JsonSerializable(typeof(FillProgress))]
[JsonSerializable(typeof(IReadOnlyList<FillProgress>))]
[JsonSerializable(typeof(FillPlanRequest))]
[JsonSerializable(typeof(FillPlanSummary))]
[JsonSerializable(typeof(IReadOnlyList<FillPlanSummary>))]
[JsonSerializable(typeof(FillPin))]
[JsonSerializable(typeof(IReadOnlyList<FillPin>))]
[JsonSerializable(typeof(FillPinRequest))]
[JsonSerializable(typeof(FleetStats))]
[JsonSerializable(typeof(RouteDecision))]
[JsonSerializable(typeof(SiteInfo))]
[JsonSerializable(typeof(IReadOnlyList<SiteInfo>))]
[JsonSerializable(typeof(CoverageZoneSummary))]
public sealed partial class CdnJson : JsonSerializerContext
{
}
