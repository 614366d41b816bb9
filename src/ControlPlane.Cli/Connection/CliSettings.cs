using System.Text.Json;

namespace Cdn.ControlPlane.Cli.Connection;

/// <summary>
/// Where the control plane is and the token to present. Each setting comes from the first of: the command
/// line (<c>--server</c>, <c>--token</c>, <c>--token-file</c>), the environment (<c>EDGECTL_SERVER</c>,
/// <c>EDGECTL_TOKEN</c>, <c>EDGECTL_TOKEN_FILE</c>), the config file (<c>--config</c>, <c>EDGECTL_CONFIG</c>,
/// <c>~/.config/edgectl/config.json</c>, <c>/etc/edgenode/edgectl.json</c>), the default <c>http://127.0.0.1:8080/</c>.
/// </summary>
internal sealed record CliSettings(Uri Server, string? Token, string ServerSource, string? ConfigFile)
{
    public const string DefaultServer = "http://127.0.0.1:8080/";

    public static CliSettings Resolve(string? server, string? token, string? tokenFile, string? configPath, CliEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var config = LoadConfig(configPath ?? env.Variable("EDGECTL_CONFIG"), env, out var configFile);
        string source;
        if (server is not null)
        {
            source = "--server";
        }
        else if (env.Variable("EDGECTL_SERVER") is { Length: > 0 } fromEnv)
        {
            server = fromEnv;
            source = "EDGECTL_SERVER";
        }
        else if (config.Server is { Length: > 0 } fromFile)
        {
            server = fromFile;
            source = configFile!;
        }
        else
        {
            server = DefaultServer;
            source = "the default";
        }

        if (!Uri.TryCreate(server.Contains("://", StringComparison.Ordinal) ? server : "http://" + server, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
        {
            throw new CliUsageException($"server '{server}' (from {source}) is not an http(s) URL, e.g. https://cp.cdn.example:8443/");
        }

        if (!uri.AbsolutePath.EndsWith('/'))
        {
            uri = new Uri(uri + "/");
        }

        var resolved = token
            ?? FromFile(tokenFile, "--token-file")
            ?? env.Variable("EDGECTL_TOKEN")
            ?? FromFile(env.Variable("EDGECTL_TOKEN_FILE"), "EDGECTL_TOKEN_FILE")
            ?? config.Token
            ?? FromFile(config.TokenFile, $"tokenFile in {configFile}");
        return new CliSettings(uri, string.IsNullOrWhiteSpace(resolved) ? null : resolved.Trim(), source, configFile);
    }

    private static string? FromFile(string? path, string source)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new CliUsageException($"token file '{path}' (from {source}) does not exist");
        }

        return Cdn.Hosting.Security.TokenFile.ReadFirst(path) ?? throw new CliUsageException($"token file '{path}' (from {source}) holds no token");
    }

    private static CliConfigFile LoadConfig(string? explicitPath, CliEnvironment env, out string? path)
    {
        path = explicitPath;
        if (path is null)
        {
            var candidates = new List<string>();
            if (env.HomeDirectory is { Length: > 0 } home)
            {
                candidates.Add(Path.Combine(home, ".config", "edgectl", "config.json"));
            }

            candidates.Add("/etc/edgenode/edgectl.json");
            path = candidates.FirstOrDefault(File.Exists);
            if (path is null)
            {
                return new CliConfigFile();
            }
        }
        else if (!File.Exists(path))
        {
            throw new CliUsageException($"config file '{path}' does not exist");
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), CliJson.Default.CliConfigFile) ?? new CliConfigFile();
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"config file '{path}' is not valid JSON ({ex.Message}); expected {{ \"server\": \"https://cp:8443/\", \"tokenFile\": \"/etc/edgenode/edgectl.token\" }}");
        }
    }
}

/// <summary>edgectl's config file: <c>{ "server": "...", "token": "...", "tokenFile": "..." }</c>.</summary>
internal sealed class CliConfigFile
{
    public string? Server { get; set; }

    public string? Token { get; set; }

    public string? TokenFile { get; set; }
}

/// <summary>The command line or its settings are wrong; the message says how to fix it (exit code 2).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
