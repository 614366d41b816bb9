namespace Cdn.Caching.Fill;

/// <summary>Thrown to readers of a fill that failed; the bytes they already sent are all there will be.</summary>
public sealed class CacheFillFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CacheFillFailedException(string message)
        : base(message)
    {
    }
}
