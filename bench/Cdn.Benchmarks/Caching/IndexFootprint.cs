using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cdn.Caching.Eviction;
using Cdn.Caching.Index;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cdn.Benchmarks.Caching;

/// <summary>
/// Resident memory per indexed object at scale (not a BenchmarkDotNet run: it needs one process per size).
/// Fills a fresh index with N entries shaped like HLS segments (≈50-byte keys, content type, ETag,
/// validators), then reports RSS growth per object for the index alone and for the W-TinyLFU eviction
/// state of the same N objects, and single-thread lookup rates for records in memory and on disk.
/// </summary>
internal static class IndexFootprint
{
    public static int Run(long objects, long memoryMb, long hashTableMb)
    {
        var root = Path.Combine(Path.GetTempPath(), "cdn-footprint-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Settle();
            var rssRuntime = Rss();
            var options = new CacheIndexOptions
            {
                Directory = root,
                MemoryBytes = memoryMb << 20,
                HashTableBytes = hashTableMb << 20,
                PageBytes = 16L << 20,
            };
            using var index = new CacheIndex(options, NullLogger.Instance);
            var watch = Stopwatch.StartNew();
            for (long i = 0; i < objects; i++)
            {
                index.Upsert(Hash(i), Entry(i));
            }

            var insertRate = objects / watch.Elapsed.TotalSeconds;
            Settle();
            var rssIndex = Rss();

            // Lookups: the newest records are in memory, the oldest were spilled to the log file on disk.
            var newest = LookupRate(index, objects - Math.Min(objects, 1_000_000), objects);
            var oldest = LookupRate(index, 0, Math.Min(objects, 1_000_000));

            var policy = new WTinyLfuPolicy(long.MaxValue / 4);
            var evicted = new List<ulong>();
            for (long i = 0; i < objects; i++)
            {
                policy.Insert(Hash(i), 2_000_000, evicted);
            }

            Settle();
            var rssAll = Rss();
            GC.KeepAlive(policy);

            var logBytes = index.LogBytes;
            Console.WriteLine($"| objects | index memory budget | hash table | index log | RSS/object (index) | RSS/object (index + W-TinyLFU) | inserts/s | lookups/s, in memory | lookups/s, on disk |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {objects:N0} | {memoryMb} MiB | {hashTableMb} MiB | {logBytes / 1048576.0:N0} MiB ({logBytes / (double)objects:N0} B/object) | {(rssIndex - rssRuntime) / (double)objects:N1} B | {(rssAll - rssRuntime) / (double)objects:N1} B | {insertRate:N0} | {newest:N0} | {oldest:N0} |"));
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static double LookupRate(CacheIndex index, long from, long to)
    {
        var random = new Random(1);
        var watch = Stopwatch.StartNew();
        long done = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(3))
        {
            for (var i = 0; i < 1000; i++)
            {
                var n = from + (long)(random.NextDouble() * (to - from));
                if (index.TryGet(Hash(n)) is null)
                {
                    throw new InvalidOperationException($"entry {n} missing");
                }
            }

            done += 1000;
        }

        return done / watch.Elapsed.TotalSeconds;
    }

    private static ulong Hash(long i) => (ulong)i * 0x9E3779B97F4A7C15UL + 1;

    private static CacheEntry Entry(long i) => new()
    {
        Key = Encoding.UTF8.GetBytes($"cdn.example.net/t{i / 1500:D6}/{(i % 5) switch { 0 => "360p", 1 => "480p", 2 => "720p", 3 => "1080p", _ => "2160p" }}/seg_{i % 1500:D5}.m4s"),
        Length = 1_000_000 + (i % 5_000_000),
        BodyId = (ulong)i + 1,
        ContentType = "video/iso.segment"u8.ToArray(),
        ETag = Encoding.ASCII.GetBytes($"\"{i:x8}-{i * 31:x6}\""),
        FreshnessLifetime = 31_536_000,
        LastModified = 1_700_000_000,
        ResponseTime = 1_700_000_000_000,
    };

    private static void Settle()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    private static long Rss()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }
}
