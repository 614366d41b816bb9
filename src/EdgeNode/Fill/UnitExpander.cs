using Cdn.Contracts.Catalog;
using Cdn.Contracts.Fill;
using Cdn.NodeAgent;

namespace EdgeNode.Fill;

/// <summary>
/// Turns plan items into objects: an item whose path ends in '/' stands for every catalog object directly
/// under that directory, listed by the title's catalog document (fetched from the control plane once, then
/// kept in the state directory). Used by the agent's loop only (not thread-safe).
/// </summary>
internal sealed class UnitExpander
{
    private const int MemoryTitles = 16;

    private readonly ControlPlaneClient _client;
    private readonly FillStateStore _store;
    private readonly Dictionary<string, TitlePublished> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public UnitExpander(ControlPlaneClient client, FillStateStore store)
    {
        _client = client;
        _store = store;
    }

    /// <summary>The objects of <paramref name="item"/>, in catalog order (stable, so a cursor into them survives a restart).</summary>
    public async Task<IReadOnlyList<FillObject>> ExpandAsync(FillItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!item.Path.EndsWith('/'))
        {
            return [new FillObject(item.Path, item.SizeBytes)];
        }

        var title = await TitleAsync(item.TitleId, cancellationToken);
        var objects = new List<FillObject>(item.Objects);
        foreach (var o in title.Objects)
        {
            var path = o.Path.StartsWith('/') ? o.Path : "/" + o.Path;
            if (path.Length > item.Path.Length && path.StartsWith(item.Path, StringComparison.Ordinal) && path.IndexOf('/', item.Path.Length) < 0)
            {
                objects.Add(new FillObject(path, o.SizeBytes));
            }
        }

        return objects;
    }

    /// <summary>Forgets cached documents (a new plan may follow a republication).</summary>
    public void Clear()
    {
        _recent.Clear();
        _order.Clear();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_store.Root, "titles")))
        {
            File.Delete(file);
        }
    }

    private async Task<TitlePublished> TitleAsync(string titleId, CancellationToken cancellationToken)
    {
        if (_recent.TryGetValue(titleId, out var cached))
        {
            return cached;
        }

        var title = _store.LoadTitle(titleId);
        if (title is null)
        {
            title = await _client.GetTitleAsync(titleId, cancellationToken);
            _store.SaveTitle(title);
        }

        _recent[titleId] = title;
        _order.Enqueue(titleId);
        if (_order.Count > MemoryTitles)
        {
            _recent.Remove(_order.Dequeue());
        }

        return title;
    }
}
