using System.Net;

namespace OriginShield.Tests.Functional;

/// <summary>A shield serving the packager's published tree from disk: nothing outside the root is reachable.</summary>
public sealed class LocalOriginTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("localorigin");
    private TestShield _shield = null!;
    private string _root = null!;

    public async Task InitializeAsync()
    {
        _root = _dir.Combine("origin");
        Directory.CreateDirectory(Path.Combine(_root, "t1", "720p"));
        await File.WriteAllBytesAsync(Path.Combine(_root, "t1", "720p", "seg1.m4s"), TestOrigin.Bytes(50_000));
        await File.WriteAllTextAsync(Path.Combine(_root, "t1", "master.m3u8"), "#EXTM3U\n");
        await File.WriteAllTextAsync(_dir.Combine("secret.txt"), "outside the root\n");
        File.CreateSymbolicLink(Path.Combine(_root, "t1", "leak.m4s"), _dir.Combine("secret.txt"));
        File.CreateSymbolicLink(Path.Combine(_root, "t1", "escape"), _dir.Path);
        File.CreateSymbolicLink(Path.Combine(_root, "t1", "alias.m4s"), Path.Combine(_root, "t1", "720p", "seg1.m4s"));
        Directory.CreateDirectory(Path.Combine(_root, ".packager", "staging", "job1.1"));
        await File.WriteAllTextAsync(Path.Combine(_root, ".packager", "staging", "job1.1", "master.m3u8"), "#EXTM3U\nstaging\n");
        await File.WriteAllTextAsync(Path.Combine(_root, "t1", ".packager-job"), "job1\n");
        File.CreateSymbolicLink(Path.Combine(_root, "t1", "staged.m3u8"), Path.Combine(_root, ".packager", "staging", "job1.1", "master.m3u8"));
        _shield = await TestShield.StartAsync(_dir.Combine("shield"), [new Uri(_root).AbsoluteUri]);
    }

    public async Task DisposeAsync()
    {
        await _shield.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<RawHttp.Response> RawGetAsync(string target)
    {
        using var raw = new RawHttp(_shield.HttpPort);
        raw.Send($"GET {target} HTTP/1.1\r\nHost: cdn.test\r\nConnection: close\r\n\r\n");
        return await raw.ReadAsync();
    }

    [Fact]
    public async Task Files_under_the_root_are_served_with_validators_and_media_types()
    {
        var segment = await _shield.Http.GetAsync("/t1/720p/seg1.m4s");
        var playlist = await _shield.Http.GetAsync("/t1/master.m3u8");

        Assert.Equal(HttpStatusCode.OK, segment.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_root, "t1", "720p", "seg1.m4s")), await segment.Content.ReadAsByteArrayAsync());
        Assert.NotNull(segment.Headers.ETag);
        Assert.NotNull(segment.Content.Headers.LastModified);
        Assert.Equal("application/vnd.apple.mpegurl", playlist.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("/../secret.txt")]
    [InlineData("/t1/../../secret.txt")]
    [InlineData("/%2e%2e/secret.txt")]
    [InlineData("/t1/%2e%2e%2f%2e%2e%2fsecret.txt")]
    [InlineData("/t1/..%2f..%2fsecret.txt")]
    [InlineData("/t1/%252e%252e/%252e%252e/secret.txt")]
    [InlineData("/t1/escape/secret.txt")]
    [InlineData("/t1/leak.m4s")]
    public async Task Nothing_outside_the_root_is_served_however_the_path_is_spelled(string target)
    {
        var response = await RawGetAsync(target);

        Assert.NotEqual(200, response.Status);
        Assert.DoesNotContain("outside the root", response.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/.packager/staging/job1.1/master.m3u8")]
    [InlineData("/%2epackager/staging/job1.1/master.m3u8")]
    [InlineData("/t1/../.packager/staging/job1.1/master.m3u8")]
    [InlineData("/t1/.packager-job")]
    [InlineData("/t1/staged.m3u8")]
    public async Task Dot_prefixed_names_like_the_packagers_work_directory_are_not_found(string target)
    {
        var response = await RawGetAsync(target);

        Assert.Equal(404, response.Status);
        Assert.DoesNotContain("staging", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("job1", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_out_of_the_root_is_refused_and_one_inside_it_is_followed()
    {
        var leak = await _shield.Http.GetAsync("/t1/leak.m4s");
        var alias = await _shield.Http.GetAsync("/t1/alias.m4s");

        Assert.Equal(HttpStatusCode.Forbidden, leak.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/t1")]
    [InlineData("/t1/")]
    [InlineData("/t1/720p/")]
    public async Task A_directory_is_not_listed(string target)
    {
        var response = await RawGetAsync(target);

        Assert.True(response.Status is 403 or 404, $"{target} answered {response.Status}");
        Assert.DoesNotContain("seg1", response.Text, StringComparison.Ordinal);
    }
}
