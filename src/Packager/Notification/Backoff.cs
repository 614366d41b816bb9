namespace Packager.Notification;

/// <summary>Exponential retry delays: <c>first * 2^(attempt-1)</c>, capped.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max)
    {
        if (attempt <= 1)
        {
            return first < max ? first : max;
        }

        var exponent = Math.Min(attempt - 1, 30);
        var ticks = first.Ticks * Math.Pow(2, exponent);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
