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

    public static IResult NotFoundDetail(string title, string detail)
        => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);

    public static IResult Conflict(string title, string detail)
        => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static IResult Unavailable(string title, string detail)
        => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title, detail: detail);

    /// <summary>The response for a fill operation's result: the value, or a problem naming every reason.</summary>
    public static IResult From<T>(Fill.FillResult<T> result, string title)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(result);
        var detail = string.Join("; ", result.Problems);
        return result.Kind switch
        {
            Fill.FillResultKind.Ok => Results.Ok(result.Value),
            Fill.FillResultKind.NotFound => NotFoundDetail(title, detail),
            Fill.FillResultKind.Conflict => Conflict(title, detail),
            _ => BadRequest(title, detail, result.Problems),
        };
    }
}
