using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cdn.Contracts;
using Cdn.Contracts.Purge;
using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Purge;

/// <summary>Calls a node's admin API (<see cref="NodeAdminRoutes"/>) with the control plane's node token.</summary>
internal sealed class NodeAdminClient : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(3), PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly LiveOptions<NodeAdminOptions> _options;

    public NodeAdminClient(LiveOptions<NodeAdminOptions> options) => _options = options;

    /// <summary>True when a token is configured (purges need one).</summary>
    public bool HasToken => _options.Current.ResolveToken() is not null;

    /// <summary>Sends a purge; returns the node's answer, or throws <see cref="NodeAdminException"/> saying what went wrong.</summary>
    public async Task<NodePurgeResult> PurgeAsync(Uri adminUrl, NodePurgeCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(adminUrl);
        var options = _options.Current;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(adminUrl, NodeAdminRoutes.Purge))
        {
            Content = JsonContent.Create(command, CdnJson.Default.NodePurgeCommand),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ResolveToken() ?? "");
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new NodeAdminException($"the node rejected the control plane's token ({(int)response.StatusCode}): put NodeAdmin:Token in the node's Admin:Tokens");
            }

            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                throw new NodeAdminException($"the node answered {(int)response.StatusCode}: {Truncate(body)}");
            }

            return await response.Content.ReadFromJsonAsync(CdnJson.Default.NodePurgeResult, timeout.Token)
                ?? throw new NodeAdminException("the node answered with an empty body");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NodeAdminException($"no answer within {options.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            throw new NodeAdminException($"unreachable: {ex.Message}");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new NodeAdminException($"the node's answer is not a purge result: {ex.Message}");
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text.Trim() : text[..200].Trim() + "…";

    public void Dispose() => _http.Dispose();
}

/// <summary>A node admin call failed; the message says why, for the operator.</summary>
internal sealed class NodeAdminException(string message) : Exception(message);
