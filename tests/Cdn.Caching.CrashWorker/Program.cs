using Cdn.Caching;
using Cdn.Caching.Index;
using Cdn.Caching.Storage;
using Cdn.Caching.CrashWorker;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: Cdn.Caching.CrashWorker <root> <seed>
// Fills objects cdn.test/crash/<n> whose bytes are a function of n (CrashContent), in small slow chunks so
// that a kill lands mid-fill, with frequent checkpoints, refills, purges and a few deliberately broken fills.
var root = args[0];
var random = new Random(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
await using var engine = CacheEngine.Open(CrashContent.Options(root), TimeProvider.System, NullLoggerFactory.Instance);
var announced = false;
for (var round = 0; ; round++)
{
    var n = random.Next(CrashContent.Keys);
    var key = engine.KeyHasher.Create(CrashContent.Key(n));
    var action = random.Next(100);
    if (action < 5)
    {
        engine.Remove(key);
        continue;
    }

    if (action < 8)
    {
        await engine.PurgePrefixAsync(System.Text.Encoding.UTF8.GetBytes(CrashContent.Key(n)[..^1]));
        continue;
    }

    if (action < 10)
    {
        engine.SetPinned(key, random.Next(2) == 0);
        continue;
    }

    if (!engine.TryStartFill(key, out var fill))
    {
        continue;
    }

    var body = CrashContent.Body(n);
    var broken = action < 14; // declares more than it sends: must never be stored
    if (!fill.Begin(new CacheEntry { Key = key.Utf8.ToArray(), FreshnessLifetime = 60 }, broken ? body.Length + 1 : body.Length))
    {
        continue;
    }

    for (var at = 0; at < body.Length; at += 32 * 1024)
    {
        await fill.WriteAsync(body.AsMemory(at, Math.Min(32 * 1024, body.Length - at)));
        if (random.Next(3) == 0)
        {
            await Task.Delay(2); // a slow origin: most of the worker's time is spent inside fills
        }
    }

    await fill.CompleteAsync();
    if (!announced && round > 20)
    {
        Console.WriteLine("ready");
        announced = true;
    }
}

namespace Cdn.Caching.CrashWorker
{
/// <summary>The deterministic content and settings shared with the test.</summary>
public static class CrashContent
{
    public const int Keys = 120;

    public static string Key(int n) => $"cdn.test/crash/{n}";

    public static CacheEngineOptions Options(string root) => new()
    {
        Name = "crash",
        Index = new CacheIndexOptions
        {
            Directory = Path.Combine(root, "index"),
            MemoryBytes = 1 << 20,
            PageBytes = 64 << 10,
            HashTableBytes = 1 << 20,
            CheckpointInterval = TimeSpan.FromMilliseconds(150),
            FullCheckpointEvery = 4,
        },
        Volumes =
        [
            new CacheVolumeOptions { Path = Path.Combine(root, "vol0"), CapacityBytes = 24L << 20 },
            new CacheVolumeOptions { Path = Path.Combine(root, "vol1"), CapacityBytes = 24L << 20 },
        ],
    };

    public static byte[] Body(int n)
    {
        var length = 1000 + (n * 7919 % 700_000);
        var bytes = new byte[length];
        var state = (uint)(n * 2654435761u) | 1;
        for (var i = 0; i < length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            bytes[i] = (byte)state;
        }

        return bytes;
    }
}
}
