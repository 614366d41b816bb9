using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Cdn.Hosting.Configuration;

/// <summary>
/// The last valid snapshot of a reloadable settings section. On a change (file edit or SIGHUP) the section is
/// bound into a fresh instance and validated; a valid one replaces the snapshot atomically and
/// <see cref="Changed"/> fires, an invalid one is logged with every error and the previous snapshot stays
/// in force. (IOptionsMonitor would instead throw from its change callback.)
/// </summary>
public sealed class LiveOptions<T> : IDisposable
    where T : class, IValidatableOptions, new()
{
    private readonly IConfiguration _section;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly IDisposable _subscription;
    private T _current;

    /// <summary>Binds and validates the section once; throws when the initial settings are invalid.</summary>
    public LiveOptions(IConfiguration configuration, string path, ILogger<LiveOptions<T>> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _section = configuration.GetSection(path);
        _path = path;
        _logger = logger;
        _current = TryBind(out var errors) ?? throw new Microsoft.Extensions.Options.OptionsValidationException(path, typeof(T), errors);
        _subscription = ChangeToken.OnChange(_section.GetReloadToken, () => Reload());
    }

    /// <summary>The settings in force.</summary>
    public T Current => Volatile.Read(ref _current);

    /// <summary>Raised after a valid new snapshot replaced the previous one.</summary>
    public event Action<T>? Changed;

    /// <summary>Re-reads the section now (also called on every change token).</summary>
    public bool Reload()
    {
        var next = TryBind(out var errors);
        if (next is null)
        {
            HostingLog.ConfigReloadRejected(_logger, _path, string.Join("; ", errors));
            return false;
        }

        Volatile.Write(ref _current, next);
        HostingLog.ConfigReloaded(_logger, _path);
        Changed?.Invoke(next);
        return true;
    }

    private T? TryBind(out IReadOnlyList<string> errors)
    {
        var candidate = new T();
        try
        {
            _section.Bind(candidate);
        }
        catch (InvalidOperationException ex)
        {
            errors = [ex.Message];
            return null;
        }

        var found = ValidatableOptionsValidator<T>.Check(_section, _path, candidate);
        errors = found.Errors;
        return found.HasErrors ? null : candidate;
    }

    /// <inheritdoc />
    public void Dispose() => _subscription.Dispose();
}
