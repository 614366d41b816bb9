namespace Cdn.Hosting.Configuration;

/// <summary>
/// Settings that check themselves. <paramref name="path"/> is the configuration path of the section the
/// instance was bound from; implementations report each bad field under it and recurse into children.
/// </summary>
public interface IValidatableOptions
{
    /// <summary>Adds every problem with these settings to <paramref name="errors"/>.</summary>
    void Validate(string path, OptionsErrors errors);
}
