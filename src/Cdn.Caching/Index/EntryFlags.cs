namespace Cdn.Caching.Index;

/// <summary>Per-object flags stored in the index.</summary>
[Flags]
public enum EntryFlags : byte
{
    /// <summary>Nothing special.</summary>
    None = 0,

    /// <summary>Kept by a fill plan: never evicted.</summary>
    Pinned = 1,

    /// <summary>A cached negative answer (404/410) with a short lifetime.</summary>
    Negative = 2,

    /// <summary>The response must be revalidated before every use (no-cache / must-revalidate at zero age).</summary>
    MustRevalidate = 4,

    /// <summary>A stub that only records which request headers the object varies on; variants have keys of their own.</summary>
    VaryStub = 8,
}
