namespace Cdn.Proxy.Keys;

/// <summary>Why a request target was refused, with the status to answer.</summary>
public sealed record TargetError(int Status, string Reason);
