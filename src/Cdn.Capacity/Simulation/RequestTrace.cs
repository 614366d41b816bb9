using System.Globalization;

namespace Cdn.Capacity.Simulation;

/// <summary>A request trace: for each request, the object's dense id and its size in bytes.</summary>
public sealed class RequestTrace
{
    public RequestTrace(int[] objects, long[] sizes, string description)
    {
        Objects = objects;
        Sizes = sizes;
        Description = description;
    }

    /// <summary>Object id (dense, 0..distinct-1) of each request.</summary>
    public int[] Objects { get; }

    /// <summary>Size of each object by id.</summary>
    public long[] Sizes { get; }

    public string Description { get; }

    public int Requests => Objects.Length;

    public long CatalogBytes => Sizes.Sum();

    /// <summary>
    /// Reads the plain-text format: one request per line, <c>time key size</c> separated by whitespace; time
    /// is seconds (integer or decimal, only its order matters), key any string without whitespace, size in
    /// bytes. Blank lines and lines starting with '#' are skipped. A key seen with several sizes keeps the
    /// last (an object that changed).
    /// </summary>
    public static RequestTrace Read(string path)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var sizes = new List<long>();
        var requests = new List<int>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var span = line.AsSpan().Trim();
            if (span.IsEmpty || span[0] == '#')
            {
                continue;
            }

            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) || size <= 0)
            {
                throw new FormatException($"{path}:{lineNumber}: expected 'time key size' (size a positive integer), got '{line}'");
            }

            if (!ids.TryGetValue(parts[1], out var id))
            {
                id = ids.Count;
                ids.Add(parts[1], id);
                sizes.Add(size);
            }
            else
            {
                sizes[id] = size;
            }

            requests.Add(id);
        }

        return new RequestTrace(requests.ToArray(), sizes.ToArray(), $"{Path.GetFileName(path)}: {requests.Count:N0} requests, {ids.Count:N0} objects");
    }

    /// <summary>Writes the trace in the format <see cref="Read"/> accepts (one request per second).</summary>
    public void Write(TextWriter output)
    {
        output.WriteLine("# time key size");
        for (var i = 0; i < Objects.Length; i++)
        {
            var id = Objects[i];
            output.Write(i.ToString(CultureInfo.InvariantCulture));
            output.Write(" /obj/");
            output.Write(id.ToString(CultureInfo.InvariantCulture));
            output.Write(".m4s ");
            output.WriteLine(Sizes[id].ToString(CultureInfo.InvariantCulture));
        }
    }
}
