using System.Collections.Immutable;
using Cdn.Contracts.Catalog;
using Cdn.ControlPlane.Storage;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Catalog;

/// <summary>
/// The catalog in force: titles the packager published, grouped into placement units. The store is the
/// truth (replicas share it); this keeps an immutable snapshot swapped whole on change, re-read before each
/// plan and on the fill service's refresh.
/// </summary>
internal sealed class TitleCatalog
{
    private readonly ICatalogStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<TitleCatalog> _logger;
    private ImmutableSortedDictionary<string, CatalogTitle> _titles = ImmutableSortedDictionary.Create<string, CatalogTitle>(StringComparer.Ordinal);

    public TitleCatalog(ICatalogStore store, TimeProvider time, ILogger<TitleCatalog> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Live titles by id.</summary>
    public ImmutableSortedDictionary<string, CatalogTitle> Titles => Volatile.Read(ref _titles);

    /// <summary>Validates and stores a publication; returns the summary, or the problems.</summary>
    public async Task<(TitleSummary? Summary, IReadOnlyList<string> Problems)> PublishAsync(TitlePublished published, CancellationToken cancellationToken)
    {
        var (document, problems) = TitleRules.Check(published);
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var title = CatalogTitle.From(document, _time.GetUtcNow());
        await _store.SaveTitleAsync(document, title, cancellationToken);
        ImmutableInterlocked.Update(ref _titles, (all, t) => all.SetItem(t.TitleId, t), title);
        ControlPlaneLog.TitlePublished(_logger, title.TitleId, title.Summary.Objects, title.Summary.Bytes, title.Units.Count);
        return (title.Summary, []);
    }

    /// <summary>Withdraws a title; false when it is unknown.</summary>
    public async Task<bool> WithdrawAsync(string titleId, CancellationToken cancellationToken)
    {
        if (!await _store.WithdrawTitleAsync(titleId, cancellationToken))
        {
            return false;
        }

        ImmutableInterlocked.Update(ref _titles, (all, id) => all.Remove(id), titleId);
        ControlPlaneLog.TitleWithdrawn(_logger, titleId);
        return true;
    }

    public Task<TitlePublished?> GetDocumentAsync(string titleId, CancellationToken cancellationToken) => _store.GetDocumentAsync(titleId, cancellationToken);

    /// <summary>Replaces the snapshot with what the store holds (other replicas' publications).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var titles = await _store.LoadTitlesAsync(cancellationToken);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, CatalogTitle>(StringComparer.Ordinal);
        foreach (var t in titles)
        {
            builder[t.TitleId] = t;
        }

        Volatile.Write(ref _titles, builder.ToImmutable());
    }
}
