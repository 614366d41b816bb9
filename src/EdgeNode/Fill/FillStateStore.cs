using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cdn.Contracts;
using Cdn.Contracts.Catalog;
using Cdn.Contracts.Fill;

namespace EdgeNode.Fill;

/// <summary>
/// The agent's files under <see cref="FillAgentOptions.StateDirectory"/>: <c>plan.json</c> (this edge's part of
/// the plan), <c>cursor.json</c> (progress in it) and <c>titles/</c> (catalog documents used to expand units,
/// so a restart does not need the control plane to carry on). Each file is replaced atomically (write, fsync,
/// rename): a crash leaves the old or the new version, never half of one.
/// </summary>
internal sealed class FillStateStore
{
    private readonly string _root;

    public FillStateStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(Path.Combine(_root, "titles"));
    }

    public string Root => _root;

    public FillPlan? LoadPlan() => Load(Path.Combine(_root, "plan.json"), CdnJson.Default.FillPlan);

    public void SavePlan(FillPlan plan) => Save(Path.Combine(_root, "plan.json"), plan, CdnJson.Default.FillPlan);

    public FillCursor? LoadCursor() => Load(Path.Combine(_root, "cursor.json"), FillJson.Default.FillCursor);

    public void SaveCursor(FillCursor cursor) => Save(Path.Combine(_root, "cursor.json"), cursor, FillJson.Default.FillCursor);

    public TitlePublished? LoadTitle(string titleId) => Load(TitlePath(titleId), CdnJson.Default.TitlePublished);

    public void SaveTitle(TitlePublished title)
    {
        ArgumentNullException.ThrowIfNull(title);
        Save(TitlePath(title.TitleId), title, CdnJson.Default.TitlePublished);
    }

    private string TitlePath(string titleId) => Path.Combine(_root, "titles", Uri.EscapeDataString(titleId) + ".json");

    private static T? Load<T>(string path, JsonTypeInfo<T> type)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, type);
        }
        catch (JsonException)
        {
            // Unreadable state (a disk error, an edited file): start over rather than refuse to run.
            return null;
        }
    }

    private static void Save<T>(string path, T value, JsonTypeInfo<T> type)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, value, type);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
