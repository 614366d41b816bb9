using System.Text.RegularExpressions;

namespace Cdn.ControlPlane.Tests.Support;

/// <summary>Runs the real <c>dig</c> (dnsutils) or <c>kdig</c> (knot-dnsutils) against a loopback server and reads its output.</summary>
internal sealed partial class DigTool
{
    private readonly string _path;

    private DigTool(string path, bool knot)
    {
        _path = path;
        IsKnot = knot;
    }

    public bool IsKnot { get; }

    public static DigTool Dig() => new(ExternalTool.Require("dig", "dnsutils"), false);

    public static DigTool Kdig() => new(ExternalTool.Require("kdig", "knot-dnsutils"), true);

    public Task<DigResult> QueryAsync(int port, params string[] args) => QueryServerAsync("127.0.0.1", port, args);

    public async Task<DigResult> QueryServerAsync(string server, int port, params string[] args)
    {
        string[] common = IsKnot ? ["@" + server, "-p", port.ToString(), "+retry=1", "+time=2"] : ["@" + server, "-p", port.ToString(), "+tries=2", "+time=2"];
        var (code, stdout, stderr) = await ExternalTool.RunAsync(_path, [.. common, .. args], TimeSpan.FromSeconds(20));
        Assert.True(code == 0, $"{Path.GetFileName(_path)} {string.Join(' ', args)} exited {code}: {stderr}{stdout}");
        return new DigResult(stdout);
    }

    /// <summary>Output of one dig/kdig run.</summary>
    public sealed partial class DigResult
    {
        public DigResult(string text) => Text = text;

        public string Text { get; }

        public string Status => StatusPattern().Match(Text) is { Success: true } m ? m.Groups[1].Value : "";

        public string Flags => FlagsPattern().Match(Text) is { Success: true } m ? m.Groups[1].Value.Trim() : "";

        /// <summary>Answer records as (owner, ttl, type, data).</summary>
        public List<(string Owner, int Ttl, string Type, string Data)> Section(string name)
        {
            var records = new List<(string, int, string, string)>();
            var inSection = false;
            foreach (var line in Text.Split('\n'))
            {
                if (line.StartsWith(";; ", StringComparison.Ordinal) && line.Contains("SECTION:", StringComparison.Ordinal))
                {
                    inSection = line.Contains(name + " SECTION:", StringComparison.Ordinal);
                    continue;
                }

                if (!inSection)
                {
                    continue;
                }

                if (line.Trim().Length == 0)
                {
                    inSection = false;
                    continue;
                }

                var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 5 && int.TryParse(parts[1], out var ttl))
                {
                    records.Add((parts[0], ttl, parts[3], string.Join(' ', parts[4..])));
                }
            }

            return records;
        }

        public List<string> Addresses => [.. Section("ANSWER").Where(r => r.Type is "A" or "AAAA").Select(r => r.Data).Order()];

        /// <summary>The ECS line, e.g. <c>10.1.2.0/24/16</c>.</summary>
        public string? ClientSubnet => SubnetPattern().Match(Text) is { Success: true } m ? m.Groups[1].Value : null;

        [GeneratedRegex(@"status: (\w+)")]
        private static partial Regex StatusPattern();

        [GeneratedRegex(@"(?:flags|Flags): ([a-z ]*)[;]")]
        private static partial Regex FlagsPattern();

        [GeneratedRegex(@"CLIENT-SUBNET: (\S+)")]
        private static partial Regex SubnetPattern();
    }
}
