using Cdn.Data;

namespace Cdn.ControlPlane.Tests.Storage;

/// <summary>
/// Tests of stores over a <see cref="StateDatabase"/>, run once per provider: a subclass says which database
/// (<see cref="EmbeddedOptions"/> for SQLite in a fresh directory, or a PostgreSQL database of its own).
/// </summary>
public abstract class StateStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("cp-store");
    private StateDatabase? _database;

    protected abstract Task<DatabaseOptions> OptionsAsync();

    /// <summary>Creates the stores under test over <paramref name="database"/> (and initializes their schema).</summary>
    private protected abstract Task OpenStoresAsync(StateDatabase database);

    /// <summary>An embedded (SQLite) database in this test's own directory.</summary>
    protected Task<DatabaseOptions> EmbeddedOptions()
        => Task.FromResult(new DatabaseOptions { Provider = DatabaseProvider.Embedded, EmbeddedPath = _dir.Combine("state.db") });

    public async Task InitializeAsync()
    {
        _database = new StateDatabase(await OptionsAsync());
        await OpenStoresAsync(_database);
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _dir.Dispose();
    }
}
