using System.Globalization;

namespace LoadBench;

/// <summary>
/// An HLS-like corpus on disk: titles × renditions × 4-second segments sized by bitrate, a media playlist
/// per rendition and a master playlist per title. Deterministic (seeded) so runs compare.
/// </summary>
internal sealed class Corpus
{
    private static readonly (string Name, int Kbps)[] Ladder = [("360p", 800), ("720p", 2800), ("1080p", 5000)];

    private Corpus(string root, List<(string Path, long Size)> segments, List<string> playlists, int herdRuns)
    {
        HerdRuns = herdRuns;
        Root = root;
        Segments = segments;
        Playlists = playlists;
    }

    public string Root { get; }

    /// <summary>Number of distinct herd segments.</summary>
    public int HerdRuns { get; }

    public List<(string Path, long Size)> Segments { get; }

    public List<string> Playlists { get; }

    public long Bytes => Segments.Sum(s => s.Size);

    /// <summary>The 2.5 MB hot segment of the "hot" workload.</summary>
    public string HotSegment => "/hot/seg_2500k.m4s";

    /// <summary>A 7 MB segment for the thundering herd (one per run, so it is cold each time).</summary>
    public string HerdSegment(int run) => $"/herd/seg_{run:D3}.m4s";

    /// <summary>Objects of the cold-fill workload: set <paramref name="set"/> is requested by one server in one repeat only.</summary>
    public List<string> ColdSet(int set) => Enumerable.Range(0, ColdObjects).Select(i => $"/cold/{set:D3}/obj_{i:D4}.m4s").ToList();

    public const int ColdObjects = 100;

    public const int ColdObjectBytes = 1_000_000;

    public static Corpus Create(string root, int titles, int segmentsPerRendition, int herdRuns, int coldSets = 0)
    {
        var random = new Random(42);
        var segments = new List<(string, long)>();
        var playlists = new List<string>();
        for (var t = 0; t < titles; t++)
        {
            var title = $"title{t:D2}";
            var master = new System.Text.StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
            foreach (var (name, kbps) in Ladder)
            {
                var playlist = new System.Text.StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI=\"init.mp4\"\n");
                for (var s = 1; s <= segmentsPerRendition; s++)
                {
                    var size = (long)(kbps * 1000 / 8 * 4 * (0.8 + (0.4 * random.NextDouble())));
                    var path = $"/{title}/{name}/seg_{s:D5}.m4s";
                    Write(root, path, size, random.Next());
                    segments.Add((path, size));
                    playlist.Append(CultureInfo.InvariantCulture, $"#EXTINF:4.000,\nseg_{s:D5}.m4s\n");
                }

                playlist.Append("#EXT-X-ENDLIST\n");
                var playlistPath = $"/{title}/{name}/index.m3u8";
                WriteText(root, playlistPath, playlist.ToString());
                playlists.Add(playlistPath);
                master.Append(CultureInfo.InvariantCulture, $"#EXT-X-STREAM-INF:BANDWIDTH={kbps * 1100},RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\"\n{name}/index.m3u8\n");
            }

            WriteText(root, $"/{title}/master.m3u8", master.ToString());
            playlists.Add($"/{title}/master.m3u8");
        }

        Write(root, "/hot/seg_2500k.m4s", 2_621_440, 7);
        for (var set = 0; set < coldSets; set++)
        {
            for (var i = 0; i < ColdObjects; i++)
            {
                Write(root, $"/cold/{set:D3}/obj_{i:D4}.m4s", ColdObjectBytes, (set * 1000) + i);
            }
        }

        for (var run = 0; run < herdRuns; run++)
        {
            Write(root, $"/herd/seg_{run:D3}.m4s", 7_000_000, 100 + run);
        }

        return new Corpus(root, segments, playlists, herdRuns);
    }

    private static void Write(string root, string path, long size, int seed)
    {
        var full = Path.Combine(root, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (File.Exists(full) && new FileInfo(full).Length == size)
        {
            return;
        }

        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(full, bytes);
    }

    private static void WriteText(string root, string path, string text)
    {
        var full = Path.Combine(root, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    /// <summary>A Zipf(<paramref name="alpha"/>) sample of segment paths, popularity unrelated to path order.</summary>
    public List<string> ZipfSample(double alpha, int count, int seed)
    {
        var random = new Random(seed);
        var ranked = Segments.Select(s => s.Path).OrderBy(_ => random.Next()).ToList();
        var cdf = new double[ranked.Count];
        double sum = 0;
        for (var i = 0; i < ranked.Count; i++)
        {
            sum += 1 / Math.Pow(i + 1, alpha);
            cdf[i] = sum;
        }

        var sample = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var at = Array.BinarySearch(cdf, random.NextDouble() * sum);
            sample.Add(ranked[Math.Min(at < 0 ? ~at : at, ranked.Count - 1)]);
        }

        return sample;
    }
}
