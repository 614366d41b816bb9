using System.Diagnostics;

namespace Cdn.ControlPlane.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes (functional tests only; no fixed sleeps).</summary>
internal static class Eventually
{
    /// <summary>Returns how long it took; fails the test with <paramref name="what"/> at the deadline.</summary>
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return watch.Elapsed;
            }

            if (watch.Elapsed > deadline)
            {
                Assert.Fail($"{what} did not happen within {deadline}");
            }

            await Task.Delay(20);
        }
    }
}
