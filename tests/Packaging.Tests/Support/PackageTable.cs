namespace Packaging.Tests.Support;

/// <summary>packaging/deb/packages: which binaries each package ships; the first one is its daemon.</summary>
public sealed class PackageTable
{
    private PackageTable(IReadOnlyDictionary<string, IReadOnlyList<string>> binaries) => Binaries = binaries;

    /// <summary>Package name to its binaries, daemon first, in table order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Binaries { get; }

    public IEnumerable<string> Packages => Binaries.Keys;

    public string Daemon(string package) => Binaries[package][0];

    public static PackageTable Read(string path)
    {
        var binaries = new Dictionary<string, List<string>>();
        foreach (var line in File.ReadAllLines(path))
        {
            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0].StartsWith('#'))
            {
                continue;
            }

            Assert.True(fields.Length == 3, $"packaging/deb/packages: bad line '{line}'");
            if (!binaries.TryGetValue(fields[0], out var list))
            {
                binaries[fields[0]] = list = [];
            }

            list.Add(fields[1]);
        }

        return new PackageTable(binaries.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value));
    }
}
