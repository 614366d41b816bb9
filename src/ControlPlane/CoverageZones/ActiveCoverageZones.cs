using System.Data.Common;
using Cdn.ControlPlane.Storage;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.CoverageZones;

/// <summary>
/// The coverage zones in force. A new document (file change, API PUT, or a newer version stored by another
/// replica) is parsed completely first; only a valid one replaces the map, atomically, and a bad one is
/// logged with every error while the previous zones keep answering.
/// </summary>
internal sealed class ActiveCoverageZones : IDisposable
{
    private readonly IRegistryStore _store;
    private readonly LiveOptions<CoverageZoneOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ActiveCoverageZones> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileSystemWatcher? _watcher;
    private CoverageZoneMap _map = CoverageZoneMap.Empty;
    private long _storedVersion;
    private DateTime _fileStamp;
    private long _applied;
    private long _rejected;

    public ActiveCoverageZones(IRegistryStore store, LiveOptions<CoverageZoneOptions> options, TimeProvider time, ILogger<ActiveCoverageZones> logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public event Action? Changed;

    public CoverageZoneMap Current => Volatile.Read(ref _map);

    /// <summary>Documents applied since start (metrics).</summary>
    public long AppliedCount => Interlocked.Read(ref _applied);

    /// <summary>Documents rejected since start (metrics; a test's proof that a bad file was seen).</summary>
    public long RejectedCount => Interlocked.Read(ref _rejected);

    /// <summary>At start: the file when configured and valid, else what the store holds; then watch the file.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshFromStoreAsync(cancellationToken);
        await CheckFileAsync(force: true, cancellationToken);
        var file = _options.Current.File;
        if (!string.IsNullOrEmpty(file))
        {
            var full = Path.GetFullPath(file);
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => _ = CheckFileSoonAsync();
            _watcher.Created += (_, _) => _ = CheckFileSoonAsync();
            _watcher.Renamed += (_, _) => _ = CheckFileSoonAsync();
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>Validates and applies a document from the API; also rewrites the configured file so a restart keeps it.</summary>
    public async Task<CoverageZoneUpdate> ApplyAsync(string json, string source, CancellationToken cancellationToken)
    {
        var update = await OfferAsync(json, source, store: true, cancellationToken);
        var file = _options.Current.File;
        if (update.Applied && !string.IsNullOrEmpty(file))
        {
            var temp = file + ".tmp";
            await File.WriteAllTextAsync(temp, json, cancellationToken);
            File.Move(temp, file, overwrite: true);
            _fileStamp = File.GetLastWriteTimeUtc(file);
        }

        return update;
    }

    /// <summary>Picks up a newer document stored by another replica, and a file change the watch missed.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await RefreshFromStoreAsync(cancellationToken);
        await CheckFileAsync(force: false, cancellationToken);
    }

    private async Task RefreshFromStoreAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.LoadCoverageZonesAsync(cancellationToken);
        if (stored is null || stored.Version == Volatile.Read(ref _storedVersion))
        {
            return;
        }

        Volatile.Write(ref _storedVersion, stored.Version);
        if (stored.Json != Current.Json)
        {
            await OfferAsync(stored.Json, $"the store (version {stored.Version})", store: false, cancellationToken);
        }
    }

    private async Task CheckFileSoonAsync()
    {
        try
        {
            // Editors write in several steps; let the write settle.
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time);
            await CheckFileAsync(force: false, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DbException)
        {
            ControlPlaneLog.CoverageZoneFileUnreadable(_logger, _options.Current.File ?? "", ex.Message);
        }
    }

    private async Task CheckFileAsync(bool force, CancellationToken cancellationToken)
    {
        var file = _options.Current.File;
        if (string.IsNullOrEmpty(file))
        {
            return;
        }

        if (!File.Exists(file))
        {
            if (force)
            {
                ControlPlaneLog.CoverageZoneFileUnreadable(_logger, file, "file does not exist; using stored zones");
            }

            return;
        }

        var stamp = File.GetLastWriteTimeUtc(file);
        if (!force && stamp == _fileStamp)
        {
            return;
        }

        string json;
        try
        {
            json = await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ControlPlaneLog.CoverageZoneFileUnreadable(_logger, file, ex.Message);
            return;
        }

        _fileStamp = stamp;
        if (json != Current.Json)
        {
            await OfferAsync(json, $"file {file}", store: true, cancellationToken);
        }
    }

    private async Task<CoverageZoneUpdate> OfferAsync(string json, string source, bool store, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var map = CoverageZoneFile.Parse(json, out var errors);
            if (map is null)
            {
                ControlPlaneLog.CoverageZonesRejected(_logger, source, string.Join("; ", errors));
                Interlocked.Increment(ref _rejected);
                return new CoverageZoneUpdate(false, errors, Current);
            }

            Volatile.Write(ref _map, map);
            Interlocked.Increment(ref _applied);
            ControlPlaneLog.CoverageZonesApplied(_logger, source, map.Zones.Count, map.NetworkCount, map.Revision);
            if (store)
            {
                try
                {
                    Volatile.Write(ref _storedVersion, await _store.SaveCoverageZonesAsync(json, _time.GetUtcNow(), cancellationToken));
                }
                catch (DbException ex)
                {
                    // Applied here all the same; other replicas get it once the store is back and it changes again.
                    ControlPlaneLog.CoverageZonesNotStored(_logger, ex, source);
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        Changed?.Invoke();
        return new CoverageZoneUpdate(true, [], Current);
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _gate.Dispose();
    }
}
