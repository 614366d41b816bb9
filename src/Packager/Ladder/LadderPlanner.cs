namespace Packager.Ladder;

/// <summary>
/// Turns a profile's rungs into renditions for one source: only rungs whose short side is not larger than the
/// source's (no upscaling), each keeping the source's display aspect ratio with even dimensions. The rung
/// size is the short side, so a portrait 1080x1920 phone video gets a 720x1280 "720p", not a 405x720 one.
/// </summary>
internal static class LadderPlanner
{
    /// <summary>Plans the renditions of a <paramref name="displayWidth"/>x<paramref name="displayHeight"/> source, smallest first.</summary>
    public static IReadOnlyList<Rendition> Plan(int displayWidth, int displayHeight, IReadOnlyList<RungOptions> rungs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(displayWidth, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(displayHeight, 2);
        ArgumentOutOfRangeException.ThrowIfZero(rungs.Count);
        var portrait = displayHeight > displayWidth;
        var shortSide = Math.Min(displayWidth, displayHeight);
        var longSide = Math.Max(displayWidth, displayHeight);
        var ordered = rungs.OrderBy(r => r.Height).ToList();
        var plan = new List<Rendition>(ordered.Count);
        foreach (var rung in ordered)
        {
            if (rung.Height > shortSide)
            {
                break;
            }

            plan.Add(Make(rung.Name, rung.Height, rung.BitrateKbps, rung.EffectiveMaxBitrateKbps));
        }

        if (plan.Count == 0)
        {
            // Smaller than the smallest rung: one rendition at the source's own size, the rate scaled by area.
            var smallest = ordered[0];
            var height = Math.Max(2, shortSide & ~1);
            var scale = (double)height * height / ((double)smallest.Height * smallest.Height);
            var rate = Math.Max(64, (int)Math.Round(smallest.BitrateKbps * scale));
            var max = Math.Max(rate, (int)Math.Round(smallest.EffectiveMaxBitrateKbps * scale));
            plan.Add(Make($"{height}p", height, rate, max));
        }

        return plan;

        Rendition Make(string name, int shortOut, int rate, int max)
        {
            var longOut = Even((double)shortOut * longSide / shortSide);
            if (longOut > longSide)
            {
                longOut = longSide & ~1; // rounding up past an odd source size would upscale by a pixel
            }

            return portrait
                ? new Rendition(name, shortOut, longOut, rate, max)
                : new Rendition(name, longOut, shortOut, rate, max);
        }
    }

    /// <summary>Nearest even integer, at least 2.</summary>
    internal static int Even(double value) => Math.Max(2, (int)Math.Round(value / 2.0, MidpointRounding.AwayFromZero) * 2);
}
