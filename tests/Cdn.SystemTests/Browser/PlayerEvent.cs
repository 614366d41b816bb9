using System.Text.Json;

namespace Cdn.SystemTests.Browser;

/// <summary>
/// One line the player printed while playing: <c>play</c>, <c>manifest</c>, <c>playing</c>, <c>progress</c>,
/// <c>frag-loaded</c>, <c>level-switched</c>, <c>waiting</c>, <c>stall-start</c>, <c>stall-end</c>,
/// <c>throttle</c>, <c>error</c>, <c>ended</c>, … and finally <c>result</c>.
/// </summary>
/// <param name="Name">The <c>event</c> field.</param>
/// <param name="T">Milliseconds since play() was requested (null before).</param>
/// <param name="Data">The whole line as JSON.</param>
/// <param name="ReceivedUtc">When the test process read it (to line up with daemon logs).</param>
public sealed record PlayerEvent(string Name, double? T, JsonElement Data, DateTime ReceivedUtc)
{
    /// <summary>The playhead in seconds (<c>progress</c>, <c>playing</c>, <c>waiting</c>, <c>throttle</c>, …), when the event has one.</summary>
    public double? CurrentTime => Number("currentTime");

    /// <summary>A numeric field of the event, or null.</summary>
    public double? Number(string field)
        => Data.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    /// <summary>A string field of the event, or null.</summary>
    public string? Text(string field)
        => Data.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The line as printed, prefixed with the time it was read.</summary>
    public override string ToString() => $"{ReceivedUtc:HH:mm:ss.fff} {Data.GetRawText()}";
}
