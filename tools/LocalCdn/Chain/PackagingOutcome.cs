namespace LocalCdn.Chain;

/// <summary>A packager job that ended.</summary>
/// <param name="JobId">The job.</param>
/// <param name="State">Succeeded, Failed or Cancelled.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Took">Submit to end.</param>
/// <param name="Renditions">The ladder published (<c>1080p 5.2 Mbit/s</c>…), from the job's result.</param>
/// <param name="Encoder">The encoder and why it was chosen.</param>
public sealed record PackagingOutcome(string JobId, string State, string? Error, TimeSpan Took, IReadOnlyList<string> Renditions, string? Encoder);
