using System.Globalization;
using System.Text.RegularExpressions;

namespace Cdn.ControlPlane.Cli.Planning;

/// <summary>
/// The quantities <c>edgectl plan</c> reads, written as operators write them: <c>5Mb/s</c>, <c>800kbit</c>,
/// <c>3.84TB</c>, <c>500GiB</c>, <c>97%</c>, <c>100M</c>. Decimal prefixes unless binary (<c>GiB</c>); for rates
/// a lowercase <c>b</c> is bits and <c>B/s</c> bytes. A bare number is in the option's own unit. Each parser
/// returns null and a reason when the text is not a quantity of its kind; ranges are checked later by
/// <see cref="Cdn.Capacity.CapacityInputs.Validate"/>.
/// </summary>
internal static partial class Quantity
{
    [GeneratedRegex(@"^\s*(?<number>[+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?<unit>.*?)\s*$")]
    private static partial Regex NumberAndUnit();

    /// <summary>A count: <c>100000000</c>, <c>100_000_000</c>, <c>1e8</c>, <c>100M</c>, <c>20k</c>, <c>1.5G</c> (or <c>1.5B</c>, billions).</summary>
    public static double? Count(string text, out string? problem)
    {
        if (!Split(text, out var number, out var unit, out problem))
        {
            return null;
        }

        double? scale = unit.ToLowerInvariant() switch
        {
            "" => 1,
            "k" => 1e3,
            "m" => 1e6,
            "g" or "b" or "bn" => 1e9,
            _ => null,
        };
        return Scaled(number, scale, unit, "a count (e.g. 100000000, 100M, 20k)", out problem);
    }

    /// <summary>A whole count (sites, titles, replicas): like <see cref="Count"/>, integral and at most <paramref name="max"/>.</summary>
    public static long? WholeCount(string text, long max, out string? problem)
    {
        var value = Count(text, out problem);
        if (value is not { } v)
        {
            return null;
        }

        if (v != Math.Floor(v))
        {
            problem = $"'{text}' is not a whole number";
            return null;
        }

        if (Math.Abs(v) > max)
        {
            problem = $"'{text}' is more than {max.ToString("#,0", CultureInfo.InvariantCulture)}";
            return null;
        }

        return (long)v;
    }

    /// <summary>A plain number without a unit (Zipf skew, cores).</summary>
    public static double? Number(string text, out string? problem)
    {
        if (!Split(text, out var number, out var unit, out problem))
        {
            return null;
        }

        return Scaled(number, unit.Length == 0 ? 1 : null, unit, "a plain number", out problem);
    }

    /// <summary>A bit rate in Mb/s: <c>5Mb/s</c>, <c>5mbit</c>, <c>5Mbps</c>, <c>800kbit</c>, <c>100Gb/s</c>, <c>5M</c>, <c>1MB/s</c> (bytes: 8 Mb/s).</summary>
    public static double? BitrateMbps(string text, double bareInMbps, out string? problem)
    {
        if (!Split(text, out var number, out var unit, out problem))
        {
            return null;
        }

        double? bitsPerSecond = unit.Length == 0 ? bareInMbps * 1e6 : RateUnit(unit);
        var mbps = Scaled(number, bitsPerSecond, unit, "a bit rate (e.g. 5Mb/s, 5mbit, 800kbit, 100Gb/s)", out problem);
        return mbps / 1e6;
    }

    /// <summary>What one core serves, in Gb/s: a rate (<c>4Gb/s</c>; bare = Gb/s), or LoadBench's CPU cost (<c>2s/GB</c> = 8 / 2 = 4 Gb/s).</summary>
    public static double? CoreGbps(string text, out string? problem)
    {
        if (!Split(text, out var number, out var unit, out problem))
        {
            return null;
        }

        if (unit.Replace(" ", "", StringComparison.Ordinal).Equals("s/GB", StringComparison.OrdinalIgnoreCase))
        {
            var secondsPerGb = Parse(number);
            if (!(secondsPerGb > 0))
            {
                problem = $"'{text}': CPU seconds per GB must be above 0";
                return null;
            }

            // One core spends one CPU second per second: it serves 1/s GB per second, 8/s Gb/s.
            return 8 / secondsPerGb;
        }

        double? bitsPerSecond = unit.Length == 0 ? 1e9 : RateUnit(unit);
        return Scaled(number, bitsPerSecond, unit, "Gb/s per core (e.g. 4, 4Gb/s) or LoadBench's CPU seconds per GB (e.g. 2s/GB)", out problem) / 1e9;
    }

    /// <summary>Bytes in TB (10^12): <c>100TB</c>, <c>3.84TB</c>, <c>500GiB</c>, <c>1PB</c>, <c>100T</c>; bare = TB. Case does not matter: storage is never sized in bits.</summary>
    public static double? StorageTB(string text, out string? problem)
    {
        if (!Split(text, out var number, out var unit, out problem))
        {
            return null;
        }

        double? bytes = unit.ToLowerInvariant() switch
        {
            "" => 1e12,
            "b" or "byte" or "bytes" => 1,
            "k" or "kb" => 1e3,
            "m" or "mb" => 1e6,
            "g" or "gb" => 1e9,
            "t" or "tb" => 1e12,
            "p" or "pb" => 1e15,
            "kib" => 1L << 10,
            "mib" => 1L << 20,
            "gib" => 1L << 30,
            "tib" => 1L << 40,
            "pib" => 1L << 50,
            _ => null,
        };
        return Scaled(number, bytes, unit, "a size (e.g. 100TB, 3.84TB, 500GiB; a bare number is TB)", out problem) / 1e12;
    }

    /// <summary>A ratio: <c>0.97</c> or <c>97%</c>.</summary>
    public static double? Ratio(string text, out string? problem)
    {
        if (!Split(text, out var number, out var unit, out problem))
        {
            return null;
        }

        // 95 / 100 is 0.95 exactly as written; 95 * 0.01 is not.
        return unit == "%" ? Parse(number) / 100 : Scaled(number, unit.Length == 0 ? 1 : null, unit, "a ratio (e.g. 0.97 or 97%)", out problem);
    }

    /// <summary>Hours: <c>1.5</c>, <c>1.5h</c>, <c>90min</c>.</summary>
    public static double? Hours(string text, out string? problem)
    {
        if (!Split(text, out var number, out var unit, out problem))
        {
            return null;
        }

        double? scale = unit.ToLowerInvariant() switch
        {
            "" or "h" or "hr" or "hrs" or "hour" or "hours" => 1,
            "m" or "min" or "mins" or "minutes" => 1.0 / 60,
            _ => null,
        };
        return Scaled(number, scale, unit, "hours (e.g. 1.5, 1.5h, 90min)", out problem);
    }

    /// <summary>Bits per second of one unit of a rate: k/M/G/T prefix (any case), then b/s, bps, bit, bit/s (bits) or B/s, Bps, B (bytes).</summary>
    private static double? RateUnit(string unit)
    {
        var compact = unit.Replace(" ", "", StringComparison.Ordinal);
        var prefix = compact.Length > 0 ? char.ToLowerInvariant(compact[0]) switch
        {
            'k' => 1e3,
            'm' => 1e6,
            'g' => 1e9,
            't' => 1e12,
            _ => 0,
        } : 0;
        var rest = prefix > 0 ? compact[1..] : compact;
        prefix = prefix > 0 ? prefix : 1;
        if (rest is "B/s" or "Bps" or "B" or "byte/s" or "bytes/s")
        {
            return prefix * 8;
        }

        return rest.ToLowerInvariant() is "" or "b/s" or "bps" or "bit" or "bits" or "bit/s" or "bits/s" or "b" ? prefix : null;
    }

    private static bool Split(string text, out string number, out string unit, out string? problem)
    {
        var match = NumberAndUnit().Match(text ?? "");
        if (!match.Success)
        {
            (number, unit, problem) = ("", "", $"'{text}' is not a number");
            return false;
        }

        (number, unit, problem) = (match.Groups["number"].Value, match.Groups["unit"].Value, null);
        return true;
    }

    private static double Parse(string number) => double.Parse(number.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double? Scaled(string number, double? scale, string unit, string expected, out string? problem)
    {
        if (scale is not { } s)
        {
            problem = $"unknown unit '{unit}': expected {expected}";
            return null;
        }

        problem = null;
        return Parse(number) * s;
    }
}
