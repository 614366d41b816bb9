using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Packager.Encoding;
using Packager.Jobs;

namespace Packager.WatchFolder;

/// <summary>
/// Turns files dropped into the watch folder into jobs. A file is taken once its size and modification time
/// have not changed for <see cref="WatchFolderOptions.SettleTime"/> (an upload in progress keeps changing);
/// it is then moved to <c>accepted/</c> (the job's source, so a second scan cannot take it twice) or, when its
/// name gives no valid title id or the title is busy, to <c>rejected/</c> with a <c>.reason.txt</c> beside it.
/// Polling rather than inotify: it works on NFS/SMB drop shares, which are common for mezzanine delivery.
/// </summary>
internal sealed class WatchFolderService : BackgroundService
{
    private readonly LiveOptions<WatchFolderOptions> _options;
    private readonly LiveOptions<EncodingOptions> _encoding;
    private readonly JobStore _store;
    private readonly QueueSignal _queue;
    private readonly TimeProvider _time;
    private readonly ILogger<WatchFolderService> _logger;
    private readonly Dictionary<string, (long Size, DateTime Modified, DateTimeOffset Since)> _seen = new(StringComparer.Ordinal);

    public WatchFolderService(LiveOptions<WatchFolderOptions> options, LiveOptions<EncodingOptions> encoding, JobStore store, QueueSignal queue, TimeProvider time, ILogger<WatchFolderService> logger)
    {
        _options = options;
        _encoding = encoding;
        _store = store;
        _queue = queue;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Current.Enabled)
        {
            WatchFolderLog.Watching(_logger, _options.Current.Path!);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(stoppingToken);
                await Task.Delay(_options.Current.PollInterval, _time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
            {
                WatchFolderLog.ScanFailed(_logger, ex);
                if (!await Pause.ForAsync(_options.Current.PollInterval, _time, stoppingToken))
                {
                    return;
                }
            }
        }
    }

    /// <summary>One scan: remembers new files, takes settled ones. Returns the job ids created.</summary>
    internal async Task<IReadOnlyList<string>> ScanAsync(CancellationToken cancellationToken)
    {
        var options = _options.Current;
        var created = new List<string>();
        if (!options.Enabled || !Directory.Exists(options.Path))
        {
            return created;
        }

        var now = _time.GetUtcNow();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(options.Path!))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.') || !options.EffectiveExtensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            present.Add(file);
            var info = new FileInfo(file);
            if (!_seen.TryGetValue(file, out var seen) || seen.Size != info.Length || seen.Modified != info.LastWriteTimeUtc)
            {
                _seen[file] = (info.Length, info.LastWriteTimeUtc, now);
                if (options.SettleTime > TimeSpan.Zero)
                {
                    continue;
                }

                seen = _seen[file];
            }

            if (now - seen.Since < options.SettleTime)
            {
                continue;
            }

            _seen.Remove(file);
            if (await TakeAsync(options, file, cancellationToken) is { } jobId)
            {
                created.Add(jobId);
            }
        }

        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
        }

        return created;
    }

    private async Task<string?> TakeAsync(WatchFolderOptions options, string file, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(file);
        var title = TitleId.FromFileName(name);
        if (title is null)
        {
            Reject(options, file, $"'{name}' gives no valid title id (use letters, digits, '.', '_', '-')");
            return null;
        }

        var accepted = Path.Combine(options.Path!, "accepted");
        Directory.CreateDirectory(accepted);
        var id = Guid.CreateVersion7(_time.GetUtcNow()).ToString("N");
        var target = Path.Combine(accepted, $"{id}{Path.GetExtension(name)}");
        File.Move(file, target);
        var encoding = _encoding.Current;
        var profile = string.IsNullOrEmpty(options.Profile) ? encoding.DefaultProfile : options.Profile;
        var job = await _store.SubmitAsync(id, title, target, profile, null, null, cancellationToken);
        if (job is null)
        {
            File.Move(target, file);
            Reject(options, file, $"title '{title}' already has a queued or running job");
            return null;
        }

        WatchFolderLog.Accepted(_logger, options.Path!, name, title, id);
        _queue.Signal.Pulse();
        return id;
    }

    private void Reject(WatchFolderOptions options, string file, string reason)
    {
        var rejected = Path.Combine(options.Path!, "rejected");
        Directory.CreateDirectory(rejected);
        var target = Path.Combine(rejected, Path.GetFileName(file));
        File.Move(file, target, overwrite: true);
        File.WriteAllText(target + ".reason.txt", reason + "\n");
        WatchFolderLog.Rejected(_logger, options.Path!, Path.GetFileName(file), reason);
    }
}
