using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Cdn.SystemTests.Browser;

/// <summary>
/// hls.js in Debian's headless Chromium, playing one master playlist to the end (player/play.mjs, run by node):
/// startup time, stalls, renditions, bytes, errors. Each line the player prints reaches <c>onEvent</c> while it
/// plays, so a test can act at a point of playback (throttle, kill a shield) and then assert on the result.
/// </summary>
/// <example>
/// <code>
/// var player = await BrowserPlayer.CreateAsync();
/// var result = await player.PlayAsync(new PlaybackRequest { MasterPlaylist = edge.HttpsUrl("/movie/master.m3u8"), TrustedCertificateSpkis = [edge.CertificateSpkiSha256!] },
///     async e => { if (e.Name == "progress" &amp;&amp; e.CurrentTime >= 20 &amp;&amp; !killed) { killed = true; await shield.KillAsync(); } });
/// </code>
/// </example>
public sealed class BrowserPlayer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private BrowserPlayer(PlayerInstall install)
    {
        Install = install;
    }

    /// <summary>node, chromium and the player directory in use.</summary>
    public PlayerInstall Install { get; }

    /// <summary>Finds node and chromium and installs the player's npm dependencies (once per test run).</summary>
    public static async Task<BrowserPlayer> CreateAsync(CancellationToken cancellationToken = default)
        => new(await PlayerInstall.EnsureAsync(cancellationToken));

    /// <summary>
    /// Plays <paramref name="request"/>'s playlist until it ends, fails fatally or times out, and returns what
    /// the player measured. <paramref name="onEvent"/> gets every event line in order, one at a time, while the
    /// player keeps playing (lines are read into a queue, so a slow callback never blocks the browser); an
    /// exception from it stops the player and is rethrown. Throws only when the harness itself fails (no result
    /// line): a playback that went wrong is a result with <see cref="PlaybackResult.Reason"/> saying why.
    /// </summary>
    public async Task<PlaybackResult> PlayAsync(PlaybackRequest request, Func<PlayerEvent, Task>? onEvent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var psi = new ProcessStartInfo(Install.Node)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Install.Directory,
            StandardOutputEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(Path.Combine(Install.Directory, "play.mjs"));
        psi.ArgumentList.Add("--url");
        psi.ArgumentList.Add(request.MasterPlaylist.AbsoluteUri);
        psi.ArgumentList.Add("--chromium");
        psi.ArgumentList.Add(Install.Chromium);
        psi.ArgumentList.Add("--timeout");
        psi.ArgumentList.Add(request.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--progress-ms");
        psi.ArgumentList.Add(((int)request.ProgressInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        foreach (var spki in request.TrustedCertificateSpkis)
        {
            psi.ArgumentList.Add("--spki");
            psi.ArgumentList.Add(spki);
        }

        foreach (var (host, address) in request.Resolve)
        {
            psi.ArgumentList.Add("--resolve");
            psi.ArgumentList.Add($"{host}={address}");
        }

        foreach (var step in request.Throttle)
        {
            psi.ArgumentList.Add("--throttle");
            psi.ArgumentList.Add(step.ToArgument());
        }

        if (request.HlsConfigJson is { } hlsConfig)
        {
            psi.ArgumentList.Add("--hls-config");
            psi.ArgumentList.Add(hlsConfig);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {Install.Node}");
        process.StandardInput.Close();
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.Append(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {e.Data}\n");
                }
            }
        };
        process.BeginErrorReadLine();

        // The player's own timeout ends it first; this one is for a wedged node or browser.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.Timeout + TimeSpan.FromSeconds(90));
        var events = new List<PlayerEvent>();
        var queue = Channel.CreateUnbounded<PlayerEvent>(new() { SingleReader = true, SingleWriter = true });
        var dispatch = DispatchAsync(queue.Reader, onEvent, deadline.Token);
        string? resultLine = null;
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                var e = Parse(line);
                if (e is null)
                {
                    lock (stderr)
                    {
                        stderr.Append(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} (stdout) {line}\n");
                    }

                    continue;
                }

                events.Add(e);
                if (e.Name == "result")
                {
                    resultLine = line;
                }

                queue.Writer.TryWrite(e);
                if (dispatch.IsFaulted)
                {
                    break;
                }
            }

            queue.Writer.TryComplete();
            await dispatch;
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (Exception) when (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            queue.Writer.TryComplete();
            await process.WaitForExitAsync(CancellationToken.None);
            if (dispatch.IsFaulted)
            {
                await dispatch;
            }

            if (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"the player did not finish within {request.Timeout} + 90 s; killed. Events:\n{string.Join('\n', events)}\nstderr:\n{stderr}");
            }

            throw;
        }

        process.WaitForExit(); // drains stderr
        string errors;
        lock (stderr)
        {
            errors = stderr.ToString();
        }

        if (resultLine is null)
        {
            throw new InvalidOperationException($"the player exited with code {process.ExitCode} without a result. Events:\n{string.Join('\n', events)}\nstderr:\n{errors}");
        }

        var result = JsonSerializer.Deserialize<PlaybackResult>(resultLine, Json)
            ?? throw new InvalidOperationException($"unreadable result: {resultLine}");
        result.Events = events;
        result.StdErr = errors;
        return result;
    }

    private static async Task DispatchAsync(ChannelReader<PlayerEvent> reader, Func<PlayerEvent, Task>? onEvent, CancellationToken cancellationToken)
    {
        await foreach (var e in reader.ReadAllAsync(cancellationToken))
        {
            if (onEvent is not null)
            {
                await onEvent(e);
            }
        }
    }

    private static PlayerEvent? Parse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("event", out var name) || name.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            double? t = root.TryGetProperty("t", out var tv) && tv.ValueKind == JsonValueKind.Number ? tv.GetDouble() : null;
            return new PlayerEvent(name.GetString()!, t, root.Clone(), DateTime.UtcNow);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
