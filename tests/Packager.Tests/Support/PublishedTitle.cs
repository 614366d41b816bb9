using System.Globalization;
using System.Text.Json;
using Packager.Hls;

namespace Packager.Tests.Support;

/// <summary>
/// Reads a published title back the way a player and an operator would, and checks it with ffprobe: the master
/// playlist's variants, each rendition's segments (durations, a keyframe first in every one), codec strings.
/// </summary>
internal sealed class PublishedTitle
{
    public PublishedTitle(string directory)
    {
        Directory = directory;
        Master = File.ReadAllText(Path.Combine(directory, "master.m3u8"));
        var lines = Master.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            {
                var resolution = MediaPlaylist.Attribute(lines[i], "RESOLUTION")!.Split('x');
                Variants.Add(new Variant(
                    lines[i + 1],
                    long.Parse(MediaPlaylist.Attribute(lines[i], "BANDWIDTH")!, CultureInfo.InvariantCulture),
                    long.Parse(MediaPlaylist.Attribute(lines[i], "AVERAGE-BANDWIDTH")!, CultureInfo.InvariantCulture),
                    int.Parse(resolution[0], CultureInfo.InvariantCulture),
                    int.Parse(resolution[1], CultureInfo.InvariantCulture),
                    MediaPlaylist.Attribute(lines[i], "CODECS")!,
                    double.Parse(MediaPlaylist.Attribute(lines[i], "FRAME-RATE")!, CultureInfo.InvariantCulture)));
            }
            else if (lines[i].StartsWith("#EXT-X-MEDIA:TYPE=AUDIO", StringComparison.Ordinal))
            {
                AudioPlaylists.Add(MediaPlaylist.Attribute(lines[i], "URI")!);
            }
        }
    }

    public string Directory { get; }

    public string Master { get; }

    public List<Variant> Variants { get; } = [];

    public List<string> AudioPlaylists { get; } = [];

    public MediaPlaylist Playlist(string uri) => MediaPlaylist.Parse(File.ReadAllText(Path.Combine(Directory, uri)));

    /// <summary>ffprobe's view of the first stream of a rendition (init + first segment).</summary>
    public async Task<JsonElement> ProbeStreamAsync(string playlistUri)
    {
        var playlist = Playlist(playlistUri);
        var dir = Path.GetDirectoryName(Path.Combine(Directory, playlistUri))!;
        var joined = await JoinAsync(dir, playlist.MapUri!, playlist.Segments[0].Uri);
        try
        {
            var json = await MediaTools.RunAsync(MediaTools.Ffprobe, "-v", "error", "-print_format", "json", "-show_streams", joined);
            return JsonDocument.Parse(json).RootElement.GetProperty("streams")[0].Clone();
        }
        finally
        {
            File.Delete(joined);
        }
    }

    /// <summary>Flags of the first video packet of every segment of a rendition (each must be a keyframe, "K").</summary>
    public async Task<List<string>> FirstPacketFlagsAsync(string playlistUri)
    {
        var playlist = Playlist(playlistUri);
        var dir = Path.GetDirectoryName(Path.Combine(Directory, playlistUri))!;
        var flags = new List<string>();
        foreach (var segment in playlist.Segments)
        {
            var joined = await JoinAsync(dir, playlist.MapUri!, segment.Uri);
            try
            {
                var json = await MediaTools.RunAsync(MediaTools.Ffprobe, "-v", "error", "-print_format", "json", "-select_streams", "v:0", "-show_entries", "packet=flags", "-read_intervals", "%+#1", joined);
                flags.Add(JsonDocument.Parse(json).RootElement.GetProperty("packets")[0].GetProperty("flags").GetString()!);
            }
            finally
            {
                File.Delete(joined);
            }
        }

        return flags;
    }

    /// <summary>An init segment followed by one media segment: a file ffprobe plays like a player would.</summary>
    private static async Task<string> JoinAsync(string dir, string init, string segment)
    {
        var path = Path.Combine(Path.GetTempPath(), $"seg-{Guid.NewGuid():N}.mp4");
        await using var output = File.Create(path);
        foreach (var part in new[] { init, segment })
        {
            await using var input = File.OpenRead(Path.Combine(dir, part));
            await input.CopyToAsync(output);
        }

        return path;
    }

    internal sealed record Variant(string Uri, long Bandwidth, long AverageBandwidth, int Width, int Height, string Codecs, double FrameRate);
}
