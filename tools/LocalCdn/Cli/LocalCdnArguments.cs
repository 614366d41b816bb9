namespace LocalCdn.Cli;

/// <summary>The main job's command line: <c>[--once] [--state-dir DIR] [--fill-site SITE] [--play-site SITE]</c>.</summary>
/// <param name="Once">Stop everything after the report instead of running until Ctrl-C.</param>
/// <param name="StateDirectory">Where everything goes (default: <c>.demo/</c> in the repository).</param>
/// <param name="FillSite">The site whose fill plan is pushed.</param>
/// <param name="PlaySite">The site whose client subnet the player resolves the CDN host from.</param>
/// <param name="Help">Print usage and exit.</param>
public sealed record LocalCdnArguments(bool Once, string StateDirectory, string FillSite, string PlaySite, bool Help)
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: eng/run.sh [--once] [--state-dir DIR] [--fill-site SITE] [--play-site SITE]
          (or: dotnet tools/LocalCdn/bin/Release/net10.0/LocalCdn.dll …)

        Starts a whole CDN on loopback (control plane with GeoDNS, packager, two shields, an edge in each of
        the sites ams and fra), packages a generated 60 s 1080p title, pushes a fill plan for one site,
        resolves the CDN host through GeoDNS for each site, pulls the whole title with ffmpeg over HTTPS
        through the edge GeoDNS chose, prints a report, and keeps running until Ctrl-C.

          --once             stop everything after the report
          --state-dir DIR    configs, logs, caches, origin tree (default: .demo/ in the repository; a run cleans
                             it, keeping the generated source)
          --fill-site SITE   site whose fill plan is pushed (default: ams)
          --play-site SITE   site whose client subnet the player asks GeoDNS from (default: ams)
          -h, --help         this text
        """;

    /// <summary>The sites a run has.</summary>
    public static IReadOnlyList<string> Sites { get; } = ["ams", "fra"];

    /// <summary>Parses <paramref name="args"/>; every problem is listed in <paramref name="errors"/> (then the result is null).</summary>
    public static LocalCdnArguments? Parse(IReadOnlyList<string> args, string defaultStateDirectory, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        var problems = new List<string>();
        var once = false;
        var help = false;
        string? stateDirectory = null;
        string? fillSite = null;
        string? playSite = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value()
            {
                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return args[++i];
                }

                problems.Add($"{arg} needs a value");
                return null;
            }

            switch (arg)
            {
                case "--once":
                    once = true;
                    break;
                case "-h" or "--help":
                    help = true;
                    break;
                case "--state-dir":
                    stateDirectory = Value() is { } dir ? Set(stateDirectory, dir, arg, problems) : stateDirectory;
                    break;
                case "--fill-site":
                    fillSite = Value() is { } fill ? Set(fillSite, fill, arg, problems) : fillSite;
                    break;
                case "--play-site":
                    playSite = Value() is { } play ? Set(playSite, play, arg, problems) : playSite;
                    break;
                default:
                    problems.Add(arg.StartsWith('-') ? $"unknown option '{arg}'" : $"unexpected argument '{arg}'");
                    break;
            }
        }

        foreach (var (name, site) in new[] { ("--fill-site", fillSite), ("--play-site", playSite) })
        {
            if (site is not null && !Sites.Contains(site))
            {
                problems.Add($"{name}: no site '{site}' (sites: {string.Join(", ", Sites)})");
            }
        }

        if (stateDirectory is { Length: 0 })
        {
            problems.Add("--state-dir: empty path");
        }

        errors = problems;
        return problems.Count > 0 ? null : new LocalCdnArguments(once, Path.GetFullPath(stateDirectory ?? defaultStateDirectory), fillSite ?? "ams", playSite ?? "ams", help);
    }

    private static string Set(string? current, string value, string option, List<string> problems)
    {
        if (current is not null)
        {
            problems.Add($"{option} given twice");
        }

        return value;
    }
}
