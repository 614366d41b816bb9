using System.Diagnostics;
using LocalCdn.Chain;
using LocalCdn.Cli;
using LocalCdn.External;
using LocalCdn.Media;
using LocalCdn.Nodes;
using LocalCdn.Report;

namespace LocalCdn;

/// <summary>
/// The README's main job, step by step: check the build and tools, start the chain, make and package the
/// title, push a fill plan for one site, ask GeoDNS for each site, pull the whole title through the edge
/// GeoDNS chose with ffmpeg, report, then run until Ctrl-C (or stop, with <c>--once</c>).
/// </summary>
public static class MainJob
{
    /// <summary>Runs it; returns the process exit code (0 done, 1 a step failed, 130 interrupted before the report).</summary>
    public static async Task<int> RunAsync(LocalCdnArguments args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var wall = Stopwatch.StartNew();

        Step(output, "build check");
        foreach (var dll in new Func<string>[] { () => DaemonBinary.ControlPlane, () => DaemonBinary.Packager, () => CacheNodeDaemon.Shield.Dll, () => CacheNodeDaemon.Edge.Dll, () => DaemonBinary.EdgeCtl })
        {
            string path;
            try
            {
                path = dll();
            }
            catch (InvalidOperationException e)
            {
                await output.WriteLineAsync($"{e.Message}: run 'dotnet build EdgeNode.sln -c Release' (eng/run.sh does)");
                return 1;
            }

            await output.WriteLineAsync($"   {Path.GetRelativePath(DaemonBinary.RepositoryRoot, path)}  built {File.GetLastWriteTime(path):yyyy-MM-dd HH:mm}");
        }

        foreach (var (tool, package, probe) in new[] { ("ffmpeg", "ffmpeg", "-version"), ("dig", "dnsutils", "-v") })
        {
            var check = await Command.RunAsync(tool, [probe], TimeSpan.FromSeconds(30), debianPackage: package, cancellationToken: cancellationToken);
            var version = (check.StdOut + check.StdErr).Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            await output.WriteLineAsync($"   {tool}: {version}");
        }

        Step(output, $"starting the CDN on loopback (state in {args.StateDirectory})");
        var topology = Topology.Create(args.StateDirectory);
        var chain = await LocalCdnChain.StartAsync(topology, output, cancellationToken);
        int code;
        var clean = false;
        try
        {
            code = await RunStepsAsync(args, chain, output, wall, cancellationToken);
        }
        finally
        {
            clean = await StopAsync(chain, output);
        }

        return clean ? code : 1;
    }

    private static async Task<int> RunStepsAsync(LocalCdnArguments args, LocalCdnChain chain, TextWriter output, Stopwatch wall, CancellationToken cancellationToken)
    {
        var topology = chain.Topology;

        Step(output, "source: testsrc2 1920x1080 30 fps + 440 Hz tone, 60 s (x264 veryfast)");
        var source = await TestSource.EnsureAsync(topology.SourceDirectory, chain.ToolLog("ffmpeg-source"), cancellationToken);
        await output.WriteLineAsync(source.Made
            ? $"   made {source.Path} in {source.Took.TotalSeconds:0.0} s"
            : $"   reusing {source.Path} (made by an earlier run)");

        Step(output, $"packaging '{topology.TitleId}' with the packager's API (default ladder), published to the origin tree");
        var packaged = await chain.PackageAsync(source.Path, TimeSpan.FromMinutes(20), cancellationToken);
        if (packaged.State != "Succeeded")
        {
            await output.WriteLineAsync($"packaging job {packaged.JobId} {packaged.State}: {packaged.Error}; see {chain.Packager.LogPath}");
            return 1;
        }

        await output.WriteLineAsync($"   job {packaged.JobId} succeeded in {packaged.Took.TotalSeconds:0} s: {string.Join(", ", packaged.Renditions)}; the control plane's catalog has it");

        Step(output, $"fill plan for site {args.FillSite}: edgectl fill plan --site {args.FillSite} --push; edgectl fill status --site {args.FillSite} --wait");
        var fill = await chain.FillSiteAsync(args.FillSite, TimeSpan.FromMinutes(5), cancellationToken);
        await output.WriteLineAsync(Indent(fill.Status));
        await output.WriteLineAsync($"   filled in {fill.Took.TotalSeconds:0.0} s");

        Step(output, $"GeoDNS: dig @127.0.0.1 -p {topology.DnsPort} {topology.CdnHost} A +subnet=…");
        var answers = new Dictionary<string, Dns.GeoDnsAnswer>(StringComparer.Ordinal);
        foreach (var site in topology.Sites)
        {
            var answer = await chain.ResolveAsync(site.Name, cancellationToken);
            answers[site.Name] = answer;
            await output.WriteLineAsync($"   +subnet={site.ProbeSubnet,-13} (site {site.Name}): {string.Join("; ", answer.AnswerLines)}");
        }

        var chosen = answers[args.PlaySite].Addresses.Count > 0 ? answers[args.PlaySite].Addresses[0] : null;
        if (chosen is null)
        {
            await output.WriteLineAsync($"GeoDNS gave no address for site {args.PlaySite}; see {chain.ControlPlane.LogPath}");
            return 1;
        }

        var edge = chain.EdgeAt(chosen);
        var master = edge.HttpsUrl($"/{topology.TitleId}/master.m3u8");
        Step(output, $"playing through {edge.Name} ({chosen}): ffmpeg pulls every rendition of {master} (Host: {topology.CdnHost})");
        var edgeBefore = await edge.MetricsAsync(cancellationToken);
        var shieldsBefore = await chain.ShieldMetricsAsync(cancellationToken);
        var pull = await StreamPull.RunAsync(master, topology.CdnHost, chain.ToolLog("ffmpeg-player"), TimeSpan.FromMinutes(10), cancellationToken);
        var report = new RunReport(edge.Name, master, edgeBefore, await edge.MetricsAsync(cancellationToken), shieldsBefore, await chain.ShieldMetricsAsync(cancellationToken), pull.Startup, pull.Wall);
        if (pull.ExitCode != 0)
        {
            await output.WriteLineAsync($"ffmpeg failed (exit {pull.ExitCode}) after {pull.MediaSeconds:0.0} s of media:\n{pull.StdErr}");
            return 1;
        }

        Step(output, "report");
        await output.WriteAsync(report.Format());
        await output.WriteLineAsync($"media         {pull.MediaSeconds:0.0} s of every rendition pulled; wall time of the whole run {wall.Elapsed.TotalSeconds:0} s");
        await output.WriteLineAsync($"logs          {topology.StateDirectory}/{{controlplane,packager,nodes/*,logs}}");

        if (!args.Once)
        {
            Step(output, $"running: try 'dig @127.0.0.1 -p {topology.DnsPort} {topology.CdnHost} +subnet=10.2.0.0/24' or 'curl -k --resolve {topology.CdnHost}:{edge.Ports.Https}:{chosen} https://{topology.CdnHost}:{edge.Ports.Https}/{topology.TitleId}/master.m3u8'; Ctrl-C stops everything");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return 0;
    }

    /// <summary>Stops every process (also after a failure or Ctrl-C) and checks that none is left behind.</summary>
    private static async Task<bool> StopAsync(LocalCdnChain chain, TextWriter output)
    {
        Step(output, "stopping");
        var processes = chain.Processes.ToList();
        await chain.DisposeAsync();
        var left = LocalCdnChain.ProcessesUsing(chain.Topology.StateDirectory);
        await output.WriteLineAsync(left.Count == 0
            ? $"   stopped {processes.Count} processes ({string.Join(", ", processes.Select(p => p.Name))}); none left using {chain.Topology.StateDirectory}"
            : $"   still running:\n      {string.Join("\n      ", left)}");
        return left.Count == 0;
    }

    private static void Step(TextWriter output, string what) => output.WriteLine($"== {what}");

    private static string Indent(string text) => string.Join('\n', text.TrimEnd().Split('\n').Select(l => "   " + l));
}
