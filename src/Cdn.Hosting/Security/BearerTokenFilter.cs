using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cdn.Hosting.Security;

/// <summary>
/// An endpoint filter requiring <c>Authorization: Bearer &lt;token&gt;</c> with one of the configured tokens
/// (compared in constant time). Missing or wrong credentials get 401 with a <c>WWW-Authenticate</c> challenge
/// (RFC 6750).
/// </summary>
public sealed class BearerTokenFilter : IEndpointFilter
{
    private readonly Func<IReadOnlyList<string>> _tokens;
    private readonly ILogger _logger;

    /// <summary>Creates the filter; <paramref name="tokens"/> is read per request so reloads apply at once.</summary>
    public BearerTokenFilter(Func<IReadOnlyList<string>> tokens, ILogger logger)
    {
        _tokens = tokens;
        _logger = logger;
    }

    /// <inheritdoc />
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var reason = Check(http.Request.Headers.Authorization.ToString(), _tokens());
        if (reason is null)
        {
            return next(context);
        }

        HostingLog.AdminAuthRejected(_logger, http.Request.Path, http.Connection.RemoteIpAddress?.ToString(), reason);
        http.Response.Headers.WWWAuthenticate = reason == "missing credentials"
            ? "Bearer realm=\"edgenode\""
            : "Bearer realm=\"edgenode\", error=\"invalid_token\"";
        return ValueTask.FromResult<object?>(Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: reason));
    }

    /// <summary>Null when the header carries an accepted token, else why not.</summary>
    public static string? Check(string header, IReadOnlyList<string> accepted)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(accepted);
        const string Scheme = "Bearer ";
        if (header.Length == 0)
        {
            return "missing credentials";
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return "authorization scheme must be Bearer";
        }

        var presented = Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim());
        var ok = false;
        foreach (var token in accepted)
        {
            // Check every token so timing does not reveal which one matched.
            ok |= CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(token));
        }

        return ok ? null : "invalid token";
    }
}
