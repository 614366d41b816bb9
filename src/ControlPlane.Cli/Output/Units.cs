using System.Globalization;

namespace Cdn.ControlPlane.Cli.Output;

/// <summary>Numbers as an operator reads them.</summary>
internal static class Units
{
    private static readonly string[] ByteUnits = ["B", "KB", "MB", "GB", "TB", "PB"];

    /// <summary>Decimal units (disks and links are sold that way): 1.5 GB.</summary>
    public static string Bytes(double bytes)
    {
        var unit = 0;
        while (Math.Abs(bytes) >= 1000 && unit < ByteUnits.Length - 1)
        {
            bytes /= 1000;
            unit++;
        }

        return unit == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B") : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0} {ByteUnits[unit]}");
    }

    public static string Rate(double bytesPerSecond) => $"{Bytes(bytesPerSecond)}/s";

    /// <summary>A bit rate given in Gb/s, in the unit that reads best: 850 Mb/s, 70 Gb/s, 2.5 Tb/s.</summary>
    public static string Bits(double gbps) => Math.Abs(gbps) switch
    {
        0 => "0 Gb/s",
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{gbps * 1000:0.#} Mb/s"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{gbps:0.#} Gb/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{gbps / 1000:0.##} Tb/s"),
    };

    public static string Percent(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{ratio * 100:0.0}%");

    public static string Number(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>"12 s ago", "3 min ago", "2 h ago".</summary>
    public static string Ago(DateTimeOffset? when, DateTimeOffset now)
    {
        if (when is not { } w)
        {
            return "never";
        }

        var age = now - w;
        return age.TotalSeconds < 90 ? $"{Math.Max(0, (int)age.TotalSeconds)} s ago"
            : age.TotalMinutes < 90 ? $"{(int)age.TotalMinutes} min ago"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours} h ago"
            : $"{(int)age.TotalDays} d ago";
    }

    /// <summary>A text bar for static tables: ████░░░░ 50%.</summary>
    public static string Bar(double ratio, int width = 20)
    {
        ratio = double.IsNaN(ratio) ? 0 : Math.Clamp(ratio, 0, 1);
        var full = (int)Math.Round(ratio * width);
        return new string('█', full) + new string('░', width - full) + " " + Percent(ratio);
    }
}
