using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeNode.Fill;

/// <summary>JSON of the agent's own state files.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FillCursor))]
internal sealed partial class FillJson : JsonSerializerContext
{
}
