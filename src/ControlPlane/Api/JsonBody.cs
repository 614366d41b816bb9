using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Cdn.ControlPlane.Api;

/// <summary>Reads a JSON request body so that every way it can be wrong becomes a 400 that says what is wrong.</summary>
internal static class JsonBody
{
    /// <summary>Largest body accepted (a CZF for a large ISP is a few MB).</summary>
    public const long MaxBytes = 32 << 20;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            return (null, Problems.BadRequest("Request body too large", $"at most {MaxBytes} bytes"));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken);
            return value is null
                ? (null, Problems.BadRequest("Missing request body", $"send a JSON {typeof(T).Name}"))
                : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.BadRequest($"Invalid {typeof(T).Name}", ex.Message));
        }
    }
}
