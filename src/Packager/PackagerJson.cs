using System.Text.Json;
using System.Text.Json.Serialization;
using Packager.Api;
using Packager.Ladder;
using Packager.Packaging;

namespace Packager;

/// <summary>JSON of the packager's API and of the results it stores: camelCase, enums as strings, no nulls written.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PackageResult))]
[JsonSerializable(typeof(List<RungOptions>))]
[JsonSerializable(typeof(SubmitJobRequest))]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(JobList))]
internal sealed partial class PackagerJson : JsonSerializerContext
{
}
