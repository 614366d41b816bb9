using Microsoft.AspNetCore.Http;

namespace Cdn.ControlPlane.Api;

/// <summary>RFC 9457 problem responses with the house wording.</summary>
internal static class Problems
{
    public static IResult BadRequest(string title, string detail, IReadOnlyList<string>? errors = null)
        => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail,
            extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    public static IResult NotFound(string what, string id)
        => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Unknown {what}", detail: $"no {what} '{id}' is registered");
}
