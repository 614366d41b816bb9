using System.Data.Common;
using System.Globalization;
using Cdn.Data;

namespace Cdn.ControlPlane.Storage;

/// <summary>ADO.NET helpers shared by the stores: the same SQL runs on SQLite and PostgreSQL.</summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static void Add(DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    public static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs a query and maps each row with <paramref name="read"/> (rows it maps to null are skipped).</summary>
    public static async Task<List<T>> ListAsync<T>(StateDatabase database, string sql, Action<DbCommand>? bind, Func<DbDataReader, T?> read, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(read);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql);
        bind?.Invoke(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (read(reader) is { } item)
            {
                list.Add(item);
            }
        }

        return list;
    }

    public static long ToInt64(object? value) => value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    /// <summary>
    /// Creates tables when missing, in one transaction; on PostgreSQL serialized by an advisory lock
    /// (<c>CREATE TABLE IF NOT EXISTS</c> races between replicas starting together).
    /// </summary>
    public static async Task CreateSchemaAsync(StateDatabase database, long lockId, IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(statements);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            await ExecuteAsync(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({lockId})"), cancellationToken);
        }

        foreach (var statement in statements)
        {
            await ExecuteAsync(connection, transaction, statement, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
