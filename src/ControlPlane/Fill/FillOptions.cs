using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Fill;

/// <summary>How fill plans are forecast, fitted and delivered (section <c>Fill</c>). See Fill/README.md for the method.</summary>
internal sealed class FillOptions : IValidatableOptions
{
    /// <summary>Half-life of the exponential decay of past demand. A day: yesterday counts half as much as today.</summary>
    public TimeSpan HalfLife { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The period the forecast is for ("tomorrow"): expected bytes are a rate times this.</summary>
    public TimeSpan Horizon { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Edges of a site that hold each unit (fewer when the site has fewer edges). Two: one edge can fail or drain without a miss storm.</summary>
    public int Replicas { get; set; } = 2;

    /// <summary>Share of an edge's cache a plan may fill when the site sets no CapacityBytes; the rest is for player misses.</summary>
    public double CapacityFraction { get; set; } = 0.8;

    /// <summary>
    /// Bonus on the score of what the site already holds (0.25: a held unit stays unless a newcomer scores 25 %
    /// higher), so small changes in demand do not swap units at the capacity boundary back and forth.
    /// </summary>
    public double Hysteresis { get; set; } = 0.25;

    /// <summary>A title released around now is expected to do as well as this quantile of the site's titles.</summary>
    public double ReleaseBoostQuantile { get; set; } = 0.9;

    /// <summary>How far ahead of its release date a title is boosted (a premiere tomorrow is filled tonight).</summary>
    public TimeSpan ReleaseLookahead { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long after release the boost lasts, decaying linearly to nothing (by then real demand has been measured).</summary>
    public TimeSpan ReleaseBoostDuration { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Fill rate cap per edge in bytes per second, sent in every plan (0: the edge's own setting alone). 1 Gbit/s by default.</summary>
    public long RateCapBytesPerSecond { get; set; } = 125_000_000;

    /// <summary>Per-site rate caps overriding <see cref="RateCapBytesPerSecond"/>.</summary>
    public Dictionary<string, long> SiteRateCaps { get; set; } = [];

    /// <summary>
    /// An edge silent for this long is left out of new plans (its units move to the others). Shorter silences
    /// (a restart, a night without power) keep its placements, so a reboot does not churn the site.
    /// </summary>
    public TimeSpan ExcludeSilentAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Plan versions kept per site (older ones are deleted; the active one always stays).</summary>
    public int KeepVersions { get; set; } = 30;

    /// <summary>Compute and push every site's plan once a day, <see cref="AutoPlanLeadTime"/> before its window opens.</summary>
    public bool AutoPlan { get; set; }

    /// <summary>How long before the window opens the automatic plan is made.</summary>
    public TimeSpan AutoPlanLeadTime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The cap for <paramref name="site"/>.</summary>
    public long RateCapFor(string site) => SiteRateCaps.TryGetValue(site, out var cap) ? cap : RateCapBytesPerSecond;

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.InRange(HalfLife, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365), OptionsErrors.Path(path, nameof(HalfLife)));
        errors.InRange(Horizon, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), OptionsErrors.Path(path, nameof(Horizon)));
        errors.InRange(Replicas, 1, 64, OptionsErrors.Path(path, nameof(Replicas)));
        errors.Require(CapacityFraction is > 0 and <= 1, OptionsErrors.Path(path, nameof(CapacityFraction)), $"must be above 0 and at most 1, got {CapacityFraction}");
        errors.Require(Hysteresis is >= 0 and <= 100, OptionsErrors.Path(path, nameof(Hysteresis)), $"must be between 0 and 100, got {Hysteresis}");
        errors.Require(ReleaseBoostQuantile is >= 0 and <= 1, OptionsErrors.Path(path, nameof(ReleaseBoostQuantile)), $"must be between 0 and 1, got {ReleaseBoostQuantile}");
        errors.InRange(ReleaseLookahead, TimeSpan.Zero, TimeSpan.FromDays(365), OptionsErrors.Path(path, nameof(ReleaseLookahead)));
        errors.InRange(ReleaseBoostDuration, TimeSpan.Zero, TimeSpan.FromDays(365), OptionsErrors.Path(path, nameof(ReleaseBoostDuration)));
        errors.InRange(RateCapBytesPerSecond, 0, 1L << 40, OptionsErrors.Path(path, nameof(RateCapBytesPerSecond)));
        foreach (var (site, cap) in SiteRateCaps)
        {
            errors.InRange(cap, 0, 1L << 40, OptionsErrors.Path(path, $"{nameof(SiteRateCaps)}:{site}"));
        }

        errors.InRange(ExcludeSilentAfter, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365), OptionsErrors.Path(path, nameof(ExcludeSilentAfter)));
        errors.InRange(KeepVersions, 2, 10_000, OptionsErrors.Path(path, nameof(KeepVersions)));
        errors.InRange(AutoPlanLeadTime, TimeSpan.Zero, TimeSpan.FromHours(23), OptionsErrors.Path(path, nameof(AutoPlanLeadTime)));
    }
}
