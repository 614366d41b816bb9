using System.Text.Json;
using System.Text.Json.Serialization;
using Cdn.ControlPlane.Catalog;
using Cdn.ControlPlane.Purge;

namespace Cdn.ControlPlane;

/// <summary>JSON of the control plane's own stored documents (not wire contracts: those are in <see cref="Contracts.CdnJson"/>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<CatalogUnit>))]
[JsonSerializable(typeof(PurgeRecord))]
internal sealed partial class ControlPlaneJson : JsonSerializerContext
{
}
