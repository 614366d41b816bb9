using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cdn.Contracts;
using Cdn.Contracts.Catalog;

namespace Packager.Notification;

/// <summary>Posts <see cref="TitlePublished"/> to the control plane's catalog route.</summary>
internal sealed class ControlPlaneClient
{
    private readonly HttpClient _http;

    public ControlPlaneClient(HttpClient http) => _http = http;

    /// <summary>Null when the control plane accepted (2xx), else the reason it did not.</summary>
    public async Task<string?> NotifyAsync(ControlPlaneOptions options, TitlePublished title, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = new Uri(new Uri(options.Url!.TrimEnd('/') + "/"), ControlPlaneRoutes.Titles.TrimStart('/'));
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(title, CdnJson.Default.TitlePublished),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ResolveToken());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {options.RequestTimeout}";
        }
    }
}
