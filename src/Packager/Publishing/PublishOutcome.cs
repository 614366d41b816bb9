namespace Packager.Publishing;

/// <summary>How a title reached the origin tree.</summary>
internal enum PublishOutcome
{
    /// <summary>First publication: renamed into place (RENAME_NOREPLACE).</summary>
    Created,

    /// <summary>Re-publication: the new tree swapped with the old one in one step (RENAME_EXCHANGE), the old one deleted.</summary>
    Replaced,

    /// <summary>Re-publication on a file system without renameat2 flags: two renames, the title briefly absent.</summary>
    ReplacedNonAtomically,

    /// <summary>This job had already published it (a resumed job after a crash between rename and bookkeeping).</summary>
    AlreadyPublished,
}
