using Cdn.Caching.Fill;
using Cdn.Caching.Index;

namespace Cdn.Caching.Tests;

public sealed class CacheEngineTests
{
    [Fact]
    public async Task A_filled_object_is_a_hit_with_identical_bytes_and_metadata()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/t1/720p/seg_00001.m4s");
        var body = TestBodies.Content("a", 300_000);

        Assert.Equal(CacheLookupKind.Miss, engine.Lookup(key).Kind);
        var stored = await TestBodies.FillAsync(engine, key, body);

        Assert.NotNull(stored);
        var lookup = engine.Lookup(key);
        Assert.Equal(CacheLookupKind.Hit, lookup.Kind);
        Assert.Equal("video/iso.segment"u8.ToArray(), lookup.Entry!.ContentType);
        Assert.Equal(body.Length, lookup.Body!.Length);
        Assert.Equal(0, lookup.Body.Offset);
        lookup.Body.Dispose();
        Assert.Equal(body, TestBodies.ReadHit(engine, key));
    }

    [Fact]
    public async Task A_body_of_unknown_length_is_stored_with_the_length_written()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/chunked.m3u8");
        var body = TestBodies.Content("chunked", 12_345);

        var stored = await TestBodies.FillAsync(engine, key, body, chunk: 1000, declareLength: false);

        Assert.Equal(12_345, stored!.Length);
        Assert.Equal(body, TestBodies.ReadHit(engine, key));
    }

    [Fact]
    public async Task Concurrent_fills_of_one_key_produce_one_leader()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/hot.m4s");
        var leaders = 0;
        var fills = new System.Collections.Concurrent.ConcurrentBag<CacheFill>();

        Parallel.For(0, 64, _ =>
        {
            if (engine.TryStartFill(key, out var fill))
            {
                Interlocked.Increment(ref leaders);
            }

            fills.Add(fill);
        });

        Assert.Equal(1, leaders);
        Assert.Single(fills.Distinct());
        fills.First().Abandon("test over");
    }

    [Fact]
    public async Task Readers_during_a_fill_receive_exactly_the_final_bytes()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/slow.m4s");
        var body = TestBodies.Content("slow", 2_000_000);
        Assert.True(engine.TryStartFill(key, out var fill));

        // Some readers join before the headers, some mid-body.
        var early = Enumerable.Range(0, 8).Select(_ => Task.Run(() => TestBodies.ReadFillAsync(fill))).ToList();
        Assert.True(fill.Begin(TestBodies.Metadata(key), body.Length));
        var late = new List<Task<byte[]>>();
        for (var at = 0; at < body.Length; at += 50_000)
        {
            await fill.WriteAsync(body.AsMemory(at, Math.Min(50_000, body.Length - at)));
            if (at % 400_000 == 0)
            {
                var lookup = engine.Lookup(key);
                Assert.Equal(CacheLookupKind.Filling, lookup.Kind);
                late.Add(Task.Run(() => TestBodies.ReadFillAsync(lookup.Fill!)));
            }
        }

        Assert.NotNull(await fill.CompleteAsync());

        foreach (var reader in early.Concat(late))
        {
            Assert.Equal(body, await reader);
        }

        Assert.Equal(body, TestBodies.ReadHit(engine, key));
    }

    [Fact]
    public async Task A_failed_fill_tells_its_readers_and_stores_nothing()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/broken.m4s");
        Assert.True(engine.TryStartFill(key, out var fill));
        Assert.True(fill.Begin(TestBodies.Metadata(key), 100_000));
        var reader = Task.Run(() => TestBodies.ReadFillAsync(fill));
        await fill.WriteAsync(new byte[10_000]);

        fill.Fail("upstream reset");

        var ex = await Assert.ThrowsAsync<CacheFillFailedException>(() => reader);
        Assert.Contains("upstream reset", ex.Message);
        Assert.Equal(CacheLookupKind.Miss, engine.Lookup(key).Kind);
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "vol0", "tmp")));
    }

    [Fact]
    public async Task A_body_shorter_than_declared_is_not_stored()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/short.m4s");
        Assert.True(engine.TryStartFill(key, out var fill));
        Assert.True(fill.Begin(TestBodies.Metadata(key), 1000));
        await fill.WriteAsync(new byte[999]);

        Assert.Null(await fill.CompleteAsync());

        Assert.Equal(FillState.Failed, fill.State);
        Assert.Contains("999 of 1000", fill.Error);
        Assert.Equal(CacheLookupKind.Miss, engine.Lookup(key).Kind);
    }

    [Fact]
    public async Task A_body_longer_than_declared_fails_the_fill()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/long.m4s");
        Assert.True(engine.TryStartFill(key, out var fill));
        Assert.True(fill.Begin(TestBodies.Metadata(key), 10));

        await Assert.ThrowsAsync<CacheFillFailedException>(async () => await fill.WriteAsync(new byte[11]));

        Assert.Equal(CacheLookupKind.Miss, engine.Lookup(key).Kind);
    }

    [Fact]
    public async Task Objects_survive_a_restart()
    {
        using var dir = new TempDirectory();
        var options = TestBodies.Options(dir.Path, volumes: 2);
        var bodies = Enumerable.Range(0, 50).ToDictionary(i => $"cdn.test/t/{i}.m4s", i => TestBodies.Content($"r{i}", 10_000 + (i * 997)));
        await using (var engine = TestBodies.Open(options))
        {
            foreach (var (key, body) in bodies)
            {
                await TestBodies.FillAsync(engine, engine.KeyHasher.Create(key), body);
            }

            Assert.True(engine.SetPinned(engine.KeyHasher.Create("cdn.test/t/7.m4s"), true));
        }

        await using var reopened = TestBodies.Open(options);
        await reopened.Reconciled;
        foreach (var (key, body) in bodies)
        {
            Assert.Equal(body, TestBodies.ReadHit(reopened, reopened.KeyHasher.Create(key)));
        }

        Assert.True(reopened.Peek(reopened.KeyHasher.Create("cdn.test/t/7.m4s"))!.IsPinned);
        Assert.Equal(50, reopened.GetStatistics().Objects);
    }

    [Fact]
    public async Task Reordering_volumes_in_the_configuration_keeps_every_object()
    {
        using var dir = new TempDirectory();
        var options = TestBodies.Options(dir.Path, volumes: 3);
        var keys = Enumerable.Range(0, 30).Select(i => $"cdn.test/o/{i}").ToList();
        await using (var engine = TestBodies.Open(options))
        {
            foreach (var key in keys)
            {
                await TestBodies.FillAsync(engine, engine.KeyHasher.Create(key), TestBodies.Content(key, 5000));
            }
        }

        options.Volumes.Reverse();
        await using var reopened = TestBodies.Open(options);
        await reopened.Reconciled;
        foreach (var key in keys)
        {
            Assert.Equal(TestBodies.Content(key, 5000), TestBodies.ReadHit(reopened, reopened.KeyHasher.Create(key)));
        }
    }

    [Fact]
    public async Task At_start_orphan_files_are_removed_and_entries_without_a_valid_body_dropped()
    {
        using var dir = new TempDirectory();
        var options = TestBodies.Options(dir.Path);
        await using (var engine = TestBodies.Open(options))
        {
            foreach (var name in (string[])["keep", "missing", "truncated"])
            {
                await TestBodies.FillAsync(engine, engine.KeyHasher.Create(name), TestBodies.Content(name, 4096));
            }
        }

        var bodies = Path.Combine(dir.Path, "vol0", "bodies");
        var files = Directory.GetFiles(bodies, "*", SearchOption.AllDirectories);
        Assert.Equal(3, files.Length);
        var orphan = Path.Combine(bodies, "abc", "00000000000abcde");
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        await File.WriteAllBytesAsync(orphan, new byte[100]);
        await File.WriteAllBytesAsync(Path.Combine(dir.Path, "vol0", "tmp", "0123456789abcdef.part"), new byte[50]);

        await using var reopened = TestBodies.Open(options);
        var missing = reopened.KeyHasher.Create("missing");
        var truncated = reopened.KeyHasher.Create("truncated");
        await reopened.Reconciled;
        // Break two bodies behind the engine's back, then reconcile again through a restart.
        await reopened.DisposeAsync();
        foreach (var file in Directory.GetFiles(bodies, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            if (bytes.AsSpan().SequenceEqual(TestBodies.Content("missing", 4096)))
            {
                File.Delete(file);
            }
            else if (bytes.AsSpan().SequenceEqual(TestBodies.Content("truncated", 4096)))
            {
                await File.WriteAllBytesAsync(file, bytes[..1000]);
            }
        }

        await using var third = TestBodies.Open(options);
        await third.Reconciled;
        Assert.False(File.Exists(orphan));
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "vol0", "tmp")));
        Assert.Equal(TestBodies.Content("keep", 4096), TestBodies.ReadHit(third, third.KeyHasher.Create("keep")));
        Assert.Null(third.Peek(missing));
        Assert.Null(third.Peek(truncated));
        Assert.Single(Directory.GetFiles(bodies, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_body_that_changed_size_on_disk_is_never_served()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/tampered.m4s");
        await TestBodies.FillAsync(engine, key, TestBodies.Content("t", 8192));
        await engine.CheckpointAsync(full: false, CancellationToken.None);
        var file = Directory.GetFiles(Path.Combine(dir.Path, "vol0", "bodies"), "*", SearchOption.AllDirectories).Single();

        // The engine holds the handle it filled through; a fresh engine must open the file and check it.
        await engine.DisposeAsync();
        await File.WriteAllBytesAsync(file, new byte[100]);
        var options = TestBodies.Options(dir.Path);
        await using var reopened = TestBodies.Open(options);

        Assert.Equal(CacheLookupKind.Miss, reopened.Lookup(reopened.KeyHasher.Create("cdn.test/tampered.m4s")).Kind);
    }

    [Fact]
    public async Task Stored_bytes_stay_within_capacity_and_evicted_bodies_leave_the_disk()
    {
        using var dir = new TempDirectory();
        var options = TestBodies.Options(dir.Path, capacity: 1 << 20);
        options.Policy = Cdn.Caching.Eviction.EvictionPolicyKind.Lru; // evicts on every insert; admission policies may refuse instead
        await using var engine = TestBodies.Open(options);
        for (var i = 0; i < 40; i++)
        {
            await TestBodies.FillAsync(engine, engine.KeyHasher.Create($"cdn.test/e/{i}"), TestBodies.Content($"e{i}", 100_000));
        }

        var stats = engine.GetStatistics();
        Assert.True(stats.UsedBytes <= 1 << 20, $"used {stats.UsedBytes}");
        Assert.True(stats.Evictions > 0);
        var onDisk = Directory.GetFiles(Path.Combine(dir.Path, "vol0", "bodies"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.Equal(stats.UsedBytes, onDisk);
        Assert.Equal(stats.Objects, Directory.GetFiles(Path.Combine(dir.Path, "vol0", "bodies"), "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Pinned_objects_survive_eviction_pressure()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path, capacity: 1 << 20));
        var pinned = engine.KeyHasher.Create("cdn.test/premiere/seg1.m4s");
        await TestBodies.FillAsync(engine, pinned, TestBodies.Content("p", 200_000));
        Assert.True(engine.SetPinned(pinned, true));

        for (var i = 0; i < 60; i++)
        {
            await TestBodies.FillAsync(engine, engine.KeyHasher.Create($"cdn.test/churn/{i}"), TestBodies.Content($"c{i}", 100_000));
        }

        Assert.Equal(TestBodies.Content("p", 200_000), TestBodies.ReadHit(engine, pinned));
    }

    [Fact]
    public async Task Purge_by_key_and_by_prefix_removes_objects_and_their_files()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        foreach (var name in (string[])["cdn.test/a/1", "cdn.test/a/2", "cdn.test/a/3", "cdn.test/b/1"])
        {
            await TestBodies.FillAsync(engine, engine.KeyHasher.Create(name), TestBodies.Content(name, 1000));
        }

        Assert.True(engine.Remove(engine.KeyHasher.Create("cdn.test/b/1")));
        Assert.False(engine.Remove(engine.KeyHasher.Create("cdn.test/b/1")));
        Assert.Equal(3, await engine.PurgePrefixAsync("cdn.test/a/"u8.ToArray()));

        Assert.Equal(0, engine.GetStatistics().Objects);
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "vol0", "bodies"), "*", SearchOption.AllDirectories));
        Assert.Equal(CacheLookupKind.Miss, engine.Lookup(engine.KeyHasher.Create("cdn.test/a/2")).Kind);
    }

    [Fact]
    public async Task A_fill_in_flight_when_its_object_is_purged_is_served_but_not_stored()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/live/seg9.m4s");
        Assert.True(engine.TryStartFill(key, out var fill));
        Assert.True(fill.Begin(TestBodies.Metadata(key), 2000));
        var reader = Task.Run(() => TestBodies.ReadFillAsync(fill));
        await fill.WriteAsync(new byte[1000]);

        Assert.Equal(0, await engine.PurgePrefixAsync("cdn.test/live/"u8.ToArray()));
        await fill.WriteAsync(new byte[1000]);

        Assert.Null(await fill.CompleteAsync());
        Assert.Equal(2000, (await reader).Length);
        Assert.Equal(CacheLookupKind.Miss, engine.Lookup(key).Kind);
    }

    [Fact]
    public async Task Revalidation_updates_metadata_but_may_not_swap_the_body()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/index.m3u8");
        await TestBodies.FillAsync(engine, key, TestBodies.Content("pl", 500));

        Assert.True(engine.TryUpdate(key, e => e with { ETag = "\"v2\""u8.ToArray(), ResponseTime = 123 }));
        Assert.Equal("\"v2\""u8.ToArray(), engine.Peek(key)!.ETag);
        Assert.Throws<ArgumentException>(() => engine.TryUpdate(key, e => e with { BodyId = 1 }));
        Assert.False(engine.TryUpdate(engine.KeyHasher.Create("nope"), e => e));
    }

    [Fact]
    public async Task A_refill_replaces_the_old_body_and_deletes_its_file()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/live.m3u8");
        await TestBodies.FillAsync(engine, key, TestBodies.Content("v1", 700));
        await TestBodies.FillAsync(engine, key, TestBodies.Content("v2", 900));

        Assert.Equal(TestBodies.Content("v2", 900), TestBodies.ReadHit(engine, key));
        Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "vol0", "bodies"), "*", SearchOption.AllDirectories));
        Assert.Equal(1, engine.GetStatistics().Objects);
    }

    [Fact]
    public async Task A_reader_keeps_its_body_when_the_object_is_evicted_mid_read()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/reading.m4s");
        var body = TestBodies.Content("reading", 100_000);
        await TestBodies.FillAsync(engine, key, body);
        var lookup = engine.Lookup(key);

        Assert.True(engine.Remove(key));

        using var lease = lookup.Body!;
        var bytes = new byte[body.Length];
        Assert.Equal(body.Length, lease.Read(bytes, 0));
        Assert.Equal(body, bytes);
    }

    [Fact]
    public async Task A_volume_that_disappears_is_taken_out_of_service_and_the_others_keep_serving()
    {
        using var dir = new TempDirectory();
        var options = TestBodies.Options(dir.Path, volumes: 2);
        await using var engine = TestBodies.Open(options);
        var keys = Enumerable.Range(0, 40).Select(i => $"cdn.test/v/{i}").ToList();
        foreach (var key in keys)
        {
            await TestBodies.FillAsync(engine, engine.KeyHasher.Create(key), TestBodies.Content(key, 3000));
        }

        var doomed = options.Volumes[0].Path;
        var onDoomed = keys.Where(k => Directory.GetFiles(Path.Combine(doomed, "bodies"), "*", SearchOption.AllDirectories)
            .Any(f => File.ReadAllBytes(f).AsSpan().SequenceEqual(TestBodies.Content(k, 3000)))).ToList();
        Assert.NotEmpty(onDoomed);
        Assert.NotEqual(keys.Count, onDoomed.Count);

        // The drive vanishes (unmounted / pulled): the directory tree is gone from under the daemon.
        Directory.Delete(doomed, recursive: true);

        // New fills that would go to it fail over to the volume still in service.
        var fresh = Enumerable.Range(0, 30).Select(i => $"cdn.test/new/{i}").ToList();
        foreach (var key in fresh)
        {
            Assert.NotNull(await TestBodies.FillAsync(engine, engine.KeyHasher.Create(key), TestBodies.Content(key, 3000)));
        }

        var volumes = engine.GetVolumes();
        Assert.Contains(volumes, v => !v.InService && v.Path == Path.GetFullPath(doomed));
        Assert.Equal(1, engine.GetStatistics().VolumesUp);

        foreach (var key in fresh)
        {
            Assert.Equal(TestBodies.Content(key, 3000), TestBodies.ReadHit(engine, engine.KeyHasher.Create(key)));
        }

        // Objects of the failed volume are misses now; the others are still hits.
        foreach (var key in keys)
        {
            var lookup = engine.Lookup(engine.KeyHasher.Create(key));
            lookup.Body?.Dispose();
            Assert.Equal(onDoomed.Contains(key) ? CacheLookupKind.Miss : CacheLookupKind.Hit, lookup.Kind);
        }
    }

    [Fact]
    public async Task A_body_less_entry_is_a_hit_without_a_lease()
    {
        using var dir = new TempDirectory();
        await using var engine = TestBodies.Open(TestBodies.Options(dir.Path));
        var key = engine.KeyHasher.Create("cdn.test/vary-stub");

        engine.StoreWithoutBody(key, new CacheEntry { Key = [], Flags = EntryFlags.VaryStub, Vary = "accept-encoding"u8.ToArray() });

        var lookup = engine.Lookup(key);
        Assert.Equal(CacheLookupKind.Hit, lookup.Kind);
        Assert.Null(lookup.Body);
        Assert.Equal("accept-encoding"u8.ToArray(), lookup.Entry!.Vary);
    }
}
