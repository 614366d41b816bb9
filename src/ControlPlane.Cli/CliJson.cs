using System.Text.Json;
using System.Text.Json.Serialization;
using Cdn.ControlPlane.Cli.Connection;
using Cdn.ControlPlane.Cli.Doctor;

namespace Cdn.ControlPlane.Cli;

/// <summary>JSON of edgectl's own documents: its config file, doctor reports and capacity plans.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CliConfigFile))]
[JsonSerializable(typeof(DoctorReport))]
[JsonSerializable(typeof(Cdn.Capacity.CapacityPlan))]
internal sealed partial class CliJson : JsonSerializerContext
{
}
