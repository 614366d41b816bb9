namespace Packager.Packaging;

/// <summary>Turns (stage, fraction of the stage) into one percentage for the whole job. Encoding dominates.</summary>
internal static class StageProgress
{
    public static double Percent(Stage stage, double fraction)
    {
        fraction = Math.Clamp(fraction, 0, 1);
        var (from, to) = stage switch
        {
            Stage.Queued => (0.0, 0.0),
            Stage.Fetching => (0.0, 5.0),
            Stage.Probing => (5.0, 6.0),
            Stage.Encoding => (6.0, 92.0),
            Stage.Packaging => (92.0, 97.0),
            Stage.Publishing => (97.0, 100.0),
            _ => (100.0, 100.0),
        };
        return Math.Round(from + ((to - from) * fraction), 1);
    }
}
