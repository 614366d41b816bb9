using System.Globalization;
using Cdn.Hosting.Configuration;

namespace Cdn.Proxy.Upstream;

/// <summary>
/// Active health checks of the origins: every <see cref="Interval"/> each origin gets one probe request
/// (<see cref="Method"/> <see cref="Path"/>); an answer within <see cref="Timeout"/> whose status is in
/// <see cref="ExpectedStatus"/> passes. A file:// origin passes while its root directory exists. How probes
/// combine with the passive health of live requests is described on <see cref="UpstreamServer"/>.
/// </summary>
public sealed class ActiveHealthCheckOptions : IValidatableOptions
{
    /// <summary>Path (and query) probed on each origin.</summary>
    public string Path { get; set; } = "/";

    /// <summary>GET or HEAD (HEAD keeps probes cheap on origins that answer it).</summary>
    public string Method { get; set; } = "HEAD";

    /// <summary>Host header of probes (default: the origin URL's authority).</summary>
    public string? Host { get; set; }

    /// <summary>Time between probes of one origin. Down detection takes about Interval × UnhealthyThreshold.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for a probe's response headers (connect included).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Statuses that pass: codes and ranges separated by commas, e.g. <c>200-399</c> or <c>200,204</c>.</summary>
    public string ExpectedStatus { get; set; } = "200-399";

    /// <summary>Consecutive failed probes that take an origin down.</summary>
    public int UnhealthyThreshold { get; set; } = 2;

    /// <summary>Consecutive passed probes that bring an origin the probes took down back up.</summary>
    public int HealthyThreshold { get; set; } = 2;

    /// <summary>Whether <paramref name="status"/> passes.</summary>
    public bool Passes(int status)
    {
        foreach (var (low, high) in StatusRanges())
        {
            if (status >= low && status <= high)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Require(Path.StartsWith('/'), OptionsErrors.Path(path, nameof(Path)), $"'{Path}' must start with '/'");
        errors.Require(Method is "GET" or "HEAD", OptionsErrors.Path(path, nameof(Method)), $"must be GET or HEAD, got '{Method}'");
        errors.InRange(Interval, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(Interval)));
        errors.InRange(Timeout, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1), OptionsErrors.Path(path, nameof(Timeout)));
        errors.Require(Timeout <= Interval, OptionsErrors.Path(path, nameof(Timeout)), $"must not exceed Interval ({Interval})");
        errors.InRange(UnhealthyThreshold, 1, 100, OptionsErrors.Path(path, nameof(UnhealthyThreshold)));
        errors.InRange(HealthyThreshold, 1, 100, OptionsErrors.Path(path, nameof(HealthyThreshold)));
        try
        {
            errors.Require(StatusRanges().Count > 0, OptionsErrors.Path(path, nameof(ExpectedStatus)), "must name at least one status");
        }
        catch (FormatException ex)
        {
            errors.Add(OptionsErrors.Path(path, nameof(ExpectedStatus)), ex.Message);
        }
    }

    private List<(int Low, int High)> StatusRanges()
    {
        var ranges = new List<(int, int)>();
        foreach (var part in ExpectedStatus.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var low = ParseStatus(dash < 0 ? part : part[..dash]);
            var high = dash < 0 ? low : ParseStatus(part[(dash + 1)..]);
            if (high < low)
            {
                throw new FormatException($"'{part}' is an empty range");
            }

            ranges.Add((low, high));
        }

        return ranges;
    }

    private static int ParseStatus(string text)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and <= 599
            ? status
            : throw new FormatException($"'{text}' is not an HTTP status (100-599)");
}
