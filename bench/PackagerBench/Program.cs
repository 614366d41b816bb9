using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Packager.Encoding;
using Packager.Ladder;
using Packager.Probing;
using Packager.Tools;

// Packaging speed on this machine for a generated 1080p source with the default ladder:
//   one-decode  = the packager's single ffmpeg run (split filter → every rendition + poster + thumbnails)
//   per-rendition = one ffmpeg run per rendition, same encoder settings (how the seeds' worker did it)
//   chunked     = the source cut in two halves encoded by two concurrent one-decode runs (join not included)
// Usage: dotnet run -c Release --project bench/PackagerBench -- [--seconds 60] [--presets veryfast,superfast] [--no-chunked] [--work DIR]
var inv = CultureInfo.InvariantCulture;
var seconds = 60;
var presets = new List<string> { "veryfast" };
var chunked = true;
var work = Path.Combine(Path.GetTempPath(), "packager-bench");
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds": seconds = int.Parse(args[++i], inv); break;
        case "--presets": presets = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)]; break;
        case "--no-chunked": chunked = false; break;
        case "--work": work = args[++i]; break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}

Directory.CreateDirectory(work);
var source = Path.Combine(work, $"source_1080p_{seconds}s.mp4");
if (!File.Exists(source))
{
    Console.Error.WriteLine($"generating {source} …");
    // A mezzanine-like source: 1080p30 H.264 at high quality plus stereo AAC.
    await Run("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", seconds.ToString(inv), "-c:v", "libx264", "-preset", "veryfast", "-crf", "16", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", source + ".tmp.mp4");
    File.Move(source + ".tmp.mp4", source);
}

var options = new EncodingOptions();
var media = await new MediaProber(() => options).ProbeAsync(source, CancellationToken.None);
var renditions = LadderPlanner.Plan(media.DisplayWidth, media.DisplayHeight, ProfileOptions.Default().Rungs);
var encoder = await new EncoderSelector(new FfmpegCapabilities(() => options), NullLogger<EncoderSelector>.Instance).SelectAsync(VideoCodec.H264, HardwareEncoding.Auto, CancellationToken.None);
Console.Error.WriteLine($"source {media.DisplayWidth}x{media.DisplayHeight} {media.Duration.TotalSeconds:0} s; ladder {string.Join(' ', renditions.Select(r => r.Name))}; encoder {encoder.Encoder} ({encoder.Reason}); {Environment.ProcessorCount} cores");

var rows = new List<string>();
foreach (var preset in presets)
{
    options = new EncodingOptions { SoftwarePreset = preset };
    var top = renditions[^1];
    var full = new EncodeJob(source, media, renditions, media.AudioTracks, encoder, VideoCodec.H264, 128, Output("one"),
        ThumbnailLayout.Plan(options.Thumbnails, media.Duration, top.Width, top.Height), 1280, 720);

    Console.Error.WriteLine($"[{preset}] one decode, {renditions.Count} renditions …");
    var cpuBefore = ChildCpuSeconds();
    var one = await Time(() => Run(options.Ffmpeg, [.. FfmpegArguments.Build(full, options, progressTarget: null)]));
    var oneCpu = ChildCpuSeconds() - cpuBefore;

    Console.Error.WriteLine($"[{preset}] one run per rendition …");
    cpuBefore = ChildCpuSeconds();
    var separate = await Time(async () =>
    {
        for (var r = 0; r < renditions.Count; r++)
        {
            // Audio once (in the first run) and no thumbnails: this side does strictly less work than the one-decode run.
            var single = full with { Renditions = [renditions[r]], AudioTracks = r == 0 ? media.AudioTracks : [], Thumbnails = null, OutputDirectory = Output($"sep{r}") };
            await Run(options.Ffmpeg, [.. FfmpegArguments.Build(single, options, progressTarget: null)]);
        }
    });

    var separateCpu = ChildCpuSeconds() - cpuBefore;

    // CPU seconds do not depend on what else runs on a shared machine; divided by the cores they give the wall
    // time an idle machine of this kind would need at best.
    var idle = oneCpu / Environment.ProcessorCount;
    var row = string.Create(inv, $"| {preset} | {one:0.0} | {separate:0.0} | {separate / one:0.00}x | {oneCpu:0} / {separateCpu:0} | {separateCpu / oneCpu:0.00}x | {media.Duration.TotalSeconds / one:0.00}x | {media.Duration.TotalSeconds / idle:0.00}x |");
    if (chunked)
    {
        Console.Error.WriteLine($"[{preset}] two chunks in parallel …");
        var half = media.Duration.TotalSeconds / 2;
        cpuBefore = ChildCpuSeconds();
        var both = await Time(() => Task.WhenAll(
            Run(options.Ffmpeg, [.. Chunk(FfmpegArguments.Build(full with { OutputDirectory = Output("c0") }, options, progressTarget: null), 0, half)]),
            Run(options.Ffmpeg, [.. Chunk(FfmpegArguments.Build(full with { OutputDirectory = Output("c1") }, options, progressTarget: null), half, half)])));
        var bothCpu = ChildCpuSeconds() - cpuBefore;
        row += string.Create(inv, $" {both:0.0} | {bothCpu:0} | {one / both:0.00}x |");
    }

    rows.Add(row);
}

Console.WriteLine();
Console.WriteLine(string.Create(inv, $"Packaging a {media.Duration.TotalSeconds:0} s {media.DisplayWidth}x{media.DisplayHeight} source, ladder {string.Join("/", renditions.Select(r => r.Name))} + AAC, {encoder.Encoder}, {Environment.ProcessorCount} cores"));
Console.WriteLine();
Console.WriteLine($"(load average at the end: {File.ReadAllText("/proc/loadavg").Trim()})");
Console.WriteLine();
const string Head = "| preset | one decode (s) | one run per rendition (s) | speed-up (wall) | CPU s: one decode / per rendition | speed-up (CPU) | real-time factor (wall) | real-time factor (CPU / cores) |";
Console.WriteLine(chunked ? Head + " 2 chunks in parallel (s) | CPU s, 2 chunks | chunked vs one decode (wall) |" : Head);
Console.WriteLine(chunked ? "|---|---|---|---|---|---|---|---|---|---|---|" : "|---|---|---|---|---|---|---|---|");
rows.ForEach(Console.WriteLine);
return 0;

string Output(string name)
{
    var dir = Path.Combine(work, "out", name);
    if (Directory.Exists(dir))
    {
        Directory.Delete(dir, recursive: true);
    }

    Directory.CreateDirectory(Path.Combine(dir, "thumbs"));
    foreach (var r in renditions.Select(r => r.Name).Append("audio_0"))
    {
        Directory.CreateDirectory(Path.Combine(dir, r));
    }

    return dir;
}

static IEnumerable<string> Chunk(IReadOnlyList<string> args, double start, double duration)
{
    var list = args.ToList();
    var input = list.IndexOf("-i");
    list.InsertRange(input, ["-ss", start.ToString("0.###", CultureInfo.InvariantCulture), "-t", duration.ToString("0.###", CultureInfo.InvariantCulture)]);
    return list;
}

// User + system CPU seconds of this process's finished children (ffmpeg), from /proc/self/stat (cutime, cstime).
static double ChildCpuSeconds()
{
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    // After the command name: field 3 is fields[0]; cutime and cstime are fields 16 and 17.
    var ticks = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
    return ticks / 100.0; // USER_HZ is 100 on Linux
}

static async Task<double> Time(Func<Task> action)
{
    var watch = Stopwatch.StartNew();
    await action();
    return watch.Elapsed.TotalSeconds;
}

static async Task Run(string file, params string[] arguments)
{
    var result = await ToolProcess.RunAsync(file, arguments, CancellationToken.None);
    if (result.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} failed: {result.LastError}");
    }
}
