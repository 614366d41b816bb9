using Cdn.Hosting.Configuration;

namespace Cdn.Data;

/// <summary>Which store holds a service's state.</summary>
public enum DatabaseProvider
{
    /// <summary>A SQLite file on local disk: one machine, no extra server.</summary>
    Embedded,

    /// <summary>PostgreSQL: several replicas or workers share one database.</summary>
    PostgreSql,
}

/// <summary>The state store settings (same shape in the control plane and the packager).</summary>
public sealed class DatabaseOptions : IValidatableOptions
{
    /// <summary>Embedded (default) or PostgreSql.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Embedded;

    /// <summary>File of the embedded store.</summary>
    public string EmbeddedPath { get; set; } = "state.db";

    /// <summary>Npgsql connection string when <see cref="Provider"/> is PostgreSql.</summary>
    public string? ConnectionString { get; set; }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Provider == DatabaseProvider.Embedded)
        {
            errors.NotEmpty(EmbeddedPath, OptionsErrors.Path(path, nameof(EmbeddedPath)));
            var dir = Path.GetDirectoryName(Path.GetFullPath(EmbeddedPath));
            if (dir is not null && !Directory.Exists(dir))
            {
                errors.Add(OptionsErrors.Path(path, nameof(EmbeddedPath)), $"directory '{dir}' does not exist");
            }
        }
        else if (errors.NotEmpty(ConnectionString, OptionsErrors.Path(path, nameof(ConnectionString))))
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            }
            catch (ArgumentException ex)
            {
                errors.Add(OptionsErrors.Path(path, nameof(ConnectionString)), $"not a valid PostgreSQL connection string: {ex.Message}");
            }
        }
    }
}
