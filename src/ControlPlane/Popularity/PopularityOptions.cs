using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Popularity;

/// <summary>How request counts from heartbeats are kept (section <c>Popularity</c>).</summary>
internal sealed class PopularityOptions : IValidatableOptions
{
    /// <summary>Length of a time window counts are summed in, per site and object. An hour keeps a day's shape visible.</summary>
    public TimeSpan BucketLength { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long windows are kept. Two weeks: a weekly pattern is seen twice; older demand weighs little after decay anyway.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often counts gathered from heartbeats are written to the store (a crash loses at most this much).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.InRange(BucketLength, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1), OptionsErrors.Path(path, nameof(BucketLength)));
        errors.InRange(Retention, BucketLength, TimeSpan.FromDays(366), OptionsErrors.Path(path, nameof(Retention)));
        errors.InRange(FlushInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(FlushInterval)));
    }
}
