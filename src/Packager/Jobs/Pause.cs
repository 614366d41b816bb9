namespace Packager.Jobs;

/// <summary>Waits on the injected clock in background loops without throwing on shutdown.</summary>
internal static class Pause
{
    /// <summary>Waits <paramref name="delay"/>; false when <paramref name="cancellationToken"/> fired first (the loop should end).</summary>
    public static async Task<bool> ForAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
