namespace Cdn.Proxy.FastPath;

/// <summary>Outcome of parsing a request head from the buffered bytes.</summary>
internal enum ParseStatus
{
    /// <summary>More bytes are needed.</summary>
    Incomplete,

    /// <summary>A whole head was parsed.</summary>
    Complete,

    /// <summary>The head is malformed or over a limit: answer <see cref="RequestHeadParser.ErrorStatus"/> and close.</summary>
    Error,
}
