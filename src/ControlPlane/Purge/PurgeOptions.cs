using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Purge;

/// <summary>How purges are fanned out (section <c>Purge</c>).</summary>
internal sealed class PurgeOptions : IValidatableOptions
{
    /// <summary>Nodes called at once.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>First retry delay for a node that failed; doubles up to <see cref="RetryMax"/>. A node that registers again is retried at once.</summary>
    public TimeSpan RetryMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Edges are purged after every shield is, so an edge cannot refill the old object from a shield that still
    /// has it. A shield that does not answer within this long no longer holds the edges back; when it is purged
    /// later, the edges are purged once more.
    /// </summary>
    public TimeSpan ShieldWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often pending purges are looked at (also woken by new purges and registrations).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Completed purges are listed for this long.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.InRange(Concurrency, 1, 1024, OptionsErrors.Path(path, nameof(Concurrency)));
        errors.InRange(RetryMin, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(RetryMin)));
        errors.InRange(RetryMax, RetryMin, TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(RetryMax)));
        errors.InRange(ShieldWait, TimeSpan.Zero, TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(ShieldWait)));
        errors.InRange(PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1), OptionsErrors.Path(path, nameof(PollInterval)));
        errors.InRange(Retention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365), OptionsErrors.Path(path, nameof(Retention)));
    }
}
