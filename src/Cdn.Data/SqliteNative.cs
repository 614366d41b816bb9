using System.Runtime.InteropServices;

namespace Cdn.Data;

/// <summary>
/// Points Microsoft.Data.Sqlite at the system's libsqlite3. The SQLitePCLRaw bundle that ships its own
/// e_sqlite3 build is not on our package mirror; its provider binds to the same C API, so the import of
/// "e_sqlite3" is resolved to Debian's libsqlite3.so.0 (a package dependency of ours).
/// </summary>
public static class SqliteNative
{
    private static int _initialized;

    /// <summary>Installs the resolver and the provider once per process.</summary>
    public static void EnsureInitialized()
    {
        if (Interlocked.Exchange(ref _initialized, 1) == 1)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, static (name, assembly, path) =>
        {
            if (name != "e_sqlite3")
            {
                return IntPtr.Zero;
            }

            foreach (var candidate in (string[])["libsqlite3.so.0", "libsqlite3.so", "libsqlite3.0.dylib", "sqlite3"])
            {
                if (NativeLibrary.TryLoad(candidate, out var handle))
                {
                    return handle;
                }
            }

            throw new DllNotFoundException("libsqlite3 not found: install the libsqlite3-0 package");
        });
        SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
    }
}
