namespace Packager.Packaging;

/// <summary>Where a job is, in order; stored with the job and shown by the API.</summary>
internal enum Stage
{
    /// <summary>Waiting for a worker.</summary>
    Queued,

    /// <summary>Downloading an http(s) source.</summary>
    Fetching,

    /// <summary>ffprobe analysis.</summary>
    Probing,

    /// <summary>The ffmpeg run.</summary>
    Encoding,

    /// <summary>Playlists, codec strings, bandwidth, thumbnails index, TS variant.</summary>
    Packaging,

    /// <summary>fsync and rename into the origin tree.</summary>
    Publishing,

    /// <summary>Finished (published, failed or cancelled).</summary>
    Done,
}
