namespace Cdn.ControlPlane.Fill;

/// <summary>How an operation on fill state ended, for the API to map onto a status code.</summary>
internal enum FillResultKind
{
    Ok,
    NotFound,
    Invalid,
    Conflict,
}

/// <summary>A value, or why there is none.</summary>
internal sealed record FillResult<T>(FillResultKind Kind, T? Value, IReadOnlyList<string> Problems)
    where T : class
{
    public static FillResult<T> Ok(T value) => new(FillResultKind.Ok, value, []);

    public static FillResult<T> NotFound(string problem) => new(FillResultKind.NotFound, null, [problem]);

    public static FillResult<T> Invalid(IReadOnlyList<string> problems) => new(FillResultKind.Invalid, null, problems);

    public static FillResult<T> Conflict(string problem) => new(FillResultKind.Conflict, null, [problem]);
}
