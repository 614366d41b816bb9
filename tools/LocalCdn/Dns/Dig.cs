using System.Globalization;
using System.Net;
using LocalCdn.External;

namespace LocalCdn.Dns;

/// <summary>Asks a DNS server with dig (dnsutils), as an operator would: A records for a name with an EDNS Client Subnet.</summary>
public static class Dig
{
    /// <summary>dig's arguments: <c>@server -p port name A +subnet=… +noall +answer</c>.</summary>
    public static IReadOnlyList<string> Arguments(string server, int port, string name, string subnet) =>
    [
        "@" + server, "-p", port.ToString(CultureInfo.InvariantCulture), name, "A", "+subnet=" + subnet, "+noall", "+answer", "+tries=1", "+time=2",
    ];

    /// <summary>Queries and returns the answer (fails when dig fails).</summary>
    public static async Task<GeoDnsAnswer> QueryAsync(string server, int port, string name, string subnet, string logPath, CancellationToken cancellationToken = default)
    {
        var result = await Command.RunAsync("dig", Arguments(server, port, name, subnet), TimeSpan.FromSeconds(15), logPath, "dnsutils", cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dig {name} +subnet={subnet} failed (exit {result.ExitCode}): {result.StdOut}{result.StdErr}");
        }

        return Parse(subnet, result.StdOut);
    }

    /// <summary>Reads dig's <c>+noall +answer</c> output: <c>video.cdn.test. 30 IN A 127.0.0.11</c> lines.</summary>
    public static GeoDnsAnswer Parse(string subnet, string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = new List<string>();
        var addresses = new List<string>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == ';')
            {
                continue;
            }

            lines.Add(line);
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[2] == "IN" && fields[3] == "A" && IPAddress.TryParse(fields[4], out _))
            {
                addresses.Add(fields[4]);
            }
        }

        return new GeoDnsAnswer(subnet, addresses, lines);
    }
}
