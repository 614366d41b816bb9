using Cdn.Hosting.Configuration;

namespace Cdn.Hosting.Tests.Configuration;

public sealed class SampleOptions : IValidatableOptions
{
    public int Port { get; set; } = 8080;

    public string Name { get; set; } = "edge";

    public List<SampleVolume> Volumes { get; set; } = [];

    public void Validate(string path, OptionsErrors errors)
    {
        errors.InRange(Port, 1, 65535, OptionsErrors.Path(path, nameof(Port)));
        errors.NotEmpty(Name, OptionsErrors.Path(path, nameof(Name)));
        for (var i = 0; i < Volumes.Count; i++)
        {
            Volumes[i].Validate(OptionsErrors.Path(path, $"{nameof(Volumes)}:{i}"), errors);
        }
    }
}

public sealed class SampleVolume : IValidatableOptions
{
    public string Path { get; set; } = "";

    public long CapacityBytes { get; set; }

    public void Validate(string path, OptionsErrors errors)
    {
        errors.NotEmpty(Path, OptionsErrors.Path(path, nameof(Path)));
        errors.InRange(CapacityBytes, 1, long.MaxValue, OptionsErrors.Path(path, nameof(CapacityBytes)));
    }
}
