namespace Cdn.Caching.Fill;

/// <summary>Where a fill is in its life.</summary>
public enum FillState
{
    /// <summary>Started; the upstream response's headers are not known yet.</summary>
    Waiting,

    /// <summary>Headers known, body bytes arriving; readers may read what has been written.</summary>
    Streaming,

    /// <summary>Every body byte is written; readers can finish. (Whether it was also stored is separate.)</summary>
    Completed,

    /// <summary>The fill broke (upstream error, short body, disk error); readers must abort their responses.</summary>
    Failed,

    /// <summary>The response will not be cached (e.g. not cacheable); readers fetch upstream on their own.</summary>
    Abandoned,
}
