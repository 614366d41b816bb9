using EdgeNode.Fill;

namespace EdgeNode.Tests.Fill;

public sealed class TokenBucketTests
{
    [Fact]
    public void A_full_bucket_lets_its_depth_through_at_once_and_then_charges_time_at_the_rate()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(1_000_000, 100_000, clock);

        Assert.Equal(TimeSpan.Zero, bucket.Take(100_000));
        Assert.Equal(TimeSpan.FromMilliseconds(50), bucket.Take(50_000));
        Assert.Equal(TimeSpan.FromMilliseconds(150), bucket.Take(100_000));
    }

    [Fact]
    public void Idle_time_refills_the_bucket_but_never_beyond_its_depth()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(1_000_000, 100_000, clock);
        bucket.Take(100_000);

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.Zero, bucket.Take(100_000));
        Assert.Equal(TimeSpan.FromMilliseconds(1), bucket.Take(1_000));
    }

    [Fact]
    public void Over_a_long_run_the_rate_is_the_cap_whatever_the_chunk_sizes()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(2_000_000, 64 * 1024, clock);
        var random = new Random(3);
        long bytes = 0;
        for (var i = 0; i < 2_000; i++)
        {
            var chunk = random.Next(1, 64 * 1024);
            bytes += chunk;
            clock.Advance(bucket.Take(chunk));
        }

        var seconds = TimeSpan.FromTicks(clock.GetTimestamp()).TotalSeconds;
        // At most the rate plus the initial burst spread over the run (and tick rounding of the waits).
        Assert.InRange(bytes / seconds, 1_990_000, (2_000_000 + (64 * 1024 / seconds)) * 1.0001);
    }

    [Fact]
    public void Bytes_charged_without_waiting_are_paid_for_by_the_next_reads()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(1_000_000, 100_000, clock);

        bucket.Charge(600_000); // a player pulled this through an unthrottled fill

        Assert.Equal(TimeSpan.FromMilliseconds(600), bucket.Take(100_000));
    }

    [Fact]
    public async Task Acquire_waits_on_the_clock_and_can_be_cancelled()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(1_000_000, 100_000, clock);
        await bucket.AcquireAsync(100_000, CancellationToken.None);

        var waiting = bucket.AcquireAsync(500_000, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        using var cts = new CancellationTokenSource();
        var cancelled = bucket.AcquireAsync(500_000, cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
    }

    [Fact]
    public void A_zero_rate_is_no_cap_and_a_new_rate_applies_to_what_follows()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(0, 100_000, clock);

        Assert.Equal(TimeSpan.Zero, bucket.Take(10_000_000));
        bucket.SetRate(1_000_000);
        bucket.Take(100_000);
        Assert.Equal(TimeSpan.FromMilliseconds(10), bucket.Take(10_000));
    }
}
