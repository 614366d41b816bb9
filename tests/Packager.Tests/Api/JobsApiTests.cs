using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Packager.Jobs;
using Packager.Packaging;
using Packager.Tests.Support;

namespace Packager.Tests.Api;

/// <summary>The daemon's HTTP API end to end on a real Kestrel socket, with real ffmpeg behind it.</summary>
public sealed class JobsApiTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("pkg-api");
    private FakeControlPlane _controlPlane = null!;
    private PackagerHost _host = null!;

    public async Task InitializeAsync()
    {
        _controlPlane = await FakeControlPlane.StartAsync(refusals: 2);
        _host = await PackagerHost.StartAsync(PackagerHost.Settings(_dir, _controlPlane.Settings()));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _controlPlane.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("GET", "/api/v1/jobs")]
    [InlineData("POST", "/api/v1/jobs")]
    [InlineData("POST", "/api/v1/jobs/x/cancel")]
    [InlineData("GET", "/metrics")]
    public async Task Every_route_but_health_needs_a_valid_token(string method, string path)
    {
        using var anonymous = new HttpClient { BaseAddress = _host.Http.BaseAddress };
        var missing = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.StartsWith("Bearer", missing.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var wrong = new HttpRequestMessage(new HttpMethod(method), path);
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token-at-all-0000");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrong)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
    }

    public static TheoryData<string, string, string> BadSubmissions => new()
    {
        { """{ "titleId": "../etc", "source": "SOURCE" }""", "titleId", "may only contain letters" },
        { """{ "titleId": ".hidden", "source": "SOURCE" }""", "titleId", "must start with a letter or digit" },
        { """{ "titleId": "a/b", "source": "SOURCE" }""", "titleId", "becomes a directory name" },
        { """{ "source": "SOURCE" }""", "titleId", "a title id is required" },
        { """{ "titleId": "ok" }""", "source", "a source (absolute file path or http(s) URL) is required" },
        { """{ "titleId": "ok", "source": "/nonexistent/movie.mp4" }""", "source", "does not exist" },
        { """{ "titleId": "ok", "source": "relative/movie.mp4" }""", "source", "must be absolute" },
        { """{ "titleId": "ok", "source": "ftp://host/movie.mp4" }""", "source", "unsupported scheme" },
        { """{ "titleId": "ok", "source": "SOURCE", "profile": "imax" }""", "profile", "unknown profile 'imax' (profiles: default)" },
        { """{ "titleId": "ok", "source": "SOURCE", "ladder": [] }""", "ladder", "at least one rung" },
        { """{ "titleId": "ok", "source": "SOURCE", "ladder": [ { "name": "x", "height": 481, "bitrateKbps": 500 } ] }""", "ladder[0].height", "must be even" },
        { """{ "titleId": "ok", "source": "SOURCE", "ladder": [ { "name": "a b", "height": 480, "bitrateKbps": 10 } ] }""", "ladder[0].bitrateKbps", "must be between 64 and 200000" },
        { """{ "titleId": "ok", "source": "SOURCE", "releaseDate": "tomorrow" }""", "body", "not a valid job" },
        { """{ "title": "ok", "source": "SOURCE" }""", "body", "not a valid job" },
        { """[1, 2]""", "body", "not a valid job" },
        { """{ "titleId": "ok", "source": """, "body", "not a valid job" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task Bad_submissions_get_a_400_problem_naming_the_field(string body, string field, string message)
    {
        var source = await TestMedia.VideoAsync(640, 360, 3);
        using var content = new StringContent(body.Replace("SOURCE", source, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");

        var response = await _host.Http.PostAsync("/api/v1/jobs", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var errors = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
        Assert.Empty((await _host.Http.GetFromJsonAsync("/api/v1/jobs", PackagerJson.Default.JobList))!.Jobs);
    }

    [Fact]
    public async Task Requests_that_are_not_json_or_name_unknown_jobs_are_refused_clearly()
    {
        using var text = new StringContent("titleId=x", System.Text.Encoding.UTF8, "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _host.Http.PostAsync("/api/v1/jobs", text)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.GetAsync("/api/v1/jobs/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.PostAsync("/api/v1/jobs/nope/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.PostAsync("/api/v1/jobs/nope/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.Http.GetAsync("/api/v1/jobs?state=Exploded")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.Http.GetAsync("/api/v1/jobs?limit=0")).StatusCode);
        var notANumber = await _host.Http.GetAsync("/api/v1/jobs?limit=lots");
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        var problem = JsonDocument.Parse(await notANumber.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("must be a whole number between 1 and 1000, got 'lots'", problem.GetProperty("errors").GetProperty("limit")[0].GetString());
    }

    [Fact]
    public async Task A_submitted_job_is_packaged_published_and_announced_with_progress_along_the_way()
    {
        var source = await TestMedia.VideoAsync(854, 480, 5);
        var submitted = await _host.SubmitAsync(new { titleId = "movie-1", source, releaseDate = "2026-05-01T00:00:00Z" });
        Assert.Equal(JobState.Queued, submitted.State);

        var seen = new HashSet<Stage>();
        var done = await _host.WaitAsync(submitted.Id, j =>
        {
            seen.Add(j.Stage);
            Assert.InRange(j.Progress, 0, 100);
            return j.State is JobState.Succeeded or JobState.Failed;
        });

        Assert.Equal((JobState.Succeeded, Stage.Done, 100.0), (done.State, done.Stage, done.Progress));
        Assert.Equal("libx264", done.Result!.Encoder);
        Assert.Contains("h264_nvenc", done.Result.EncoderReason, StringComparison.Ordinal);
        Assert.True(File.Exists(_dir.Combine("origin", "movie-1", "master.m3u8")));
        Assert.Equal(["360p", "480p", "audio_0"], done.Result.Renditions.Select(r => r.Name));

        // The control plane refused twice (503); the notification is retried until it is accepted, once.
        var notified = await _host.WaitAsync(submitted.Id, j => j.Notification.State == NotificationState.Sent);
        Assert.Equal(3, notified.Notification.Attempts);
        var announced = Assert.Single(_controlPlane.Accepted);
        Assert.Equal(("movie-1", "movie-1/master.m3u8", new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero)), (announced.TitleId, announced.MasterPlaylist, announced.ReleaseDate!.Value));
        Assert.Equal(["360p", "480p"], announced.Renditions.Select(r => r.Name));
        Assert.All(announced.Renditions, r => Assert.EndsWith(",mp4a.40.2", r.Codecs, StringComparison.Ordinal));
        Assert.Contains(announced.Objects, o => o.Path == "movie-1/480p/init.mp4" && o.SizeBytes > 0);
        Assert.DoesNotContain(announced.Objects, o => o.Path.Contains(PackagingPipeline.PublishStampFile, StringComparison.Ordinal));

        var list = (await _host.Http.GetFromJsonAsync("/api/v1/jobs?state=succeeded", PackagerJson.Default.JobList))!;
        Assert.Equal([submitted.Id], list.Jobs.Select(j => j.Id));
        Assert.Equal(HttpStatusCode.Conflict, (await _host.Http.PostAsync($"/api/v1/jobs/{submitted.Id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _host.Http.PostAsync($"/api/v1/jobs/{submitted.Id}/retry", null)).StatusCode);

        var metrics = await _host.Http.GetStringAsync("/metrics");
        Assert.Contains("packager_jobs{state=\"succeeded\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("packager_encode_seconds_count 1", metrics, StringComparison.Ordinal);
        Assert.Contains("packager_encode_realtime_factor_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("packager_jobs_finished_total{result=\"succeeded\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_source_fails_the_job_with_the_reason_and_it_can_be_retried()
    {
        var source = await TestMedia.NotAVideoAsync();
        var job = await _host.SubmitAsync(new { titleId = "broken", source });

        var failed = await _host.WaitFinishedAsync(job.Id);

        Assert.Equal(JobState.Failed, failed.State);
        Assert.Contains("ffprobe cannot read the source", failed.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("origin", "broken")));

        var retry = await _host.Http.PostAsync($"/api/v1/jobs/{job.Id}/retry", null);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(JobState.Failed, (await _host.WaitFinishedAsync(job.Id)).State);
        Assert.Empty(_controlPlane.Accepted);
    }

    [Fact]
    public async Task An_http_source_is_downloaded_and_packaged_and_a_missing_one_fails_with_the_http_status()
    {
        var source = await TestMedia.VideoAsync(640, 360, 3);
        await using var server = await FileServer.StartAsync(source);

        var fetched = await _host.SubmitAsync(new { titleId = "from-url", source = server.Url(Path.GetFileName(source)) });
        var missing = await _host.SubmitAsync(new { titleId = "no-such-url", source = server.Url("nothing.mp4") });

        Assert.Equal(JobState.Succeeded, (await _host.WaitFinishedAsync(fetched.Id)).State);
        Assert.True(File.Exists(_dir.Combine("origin", "from-url", "master.m3u8")));
        var failed = await _host.WaitFinishedAsync(missing.Id);
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Contains("failed: HTTP 404", failed.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Combine("origin", ".packager", "work")));
    }

    [Fact]
    public async Task A_running_job_can_be_cancelled_and_publishes_nothing_and_the_title_is_busy_meanwhile()
    {
        var source = await TestMedia.VideoAsync(1280, 720, 20);
        using var slowDir = new TempDirectory("pkg-slow");
        await using var slow = await PackagerHost.StartAsync(PackagerHost.Settings(slowDir, new Dictionary<string, string> { ["Encoding:SoftwarePreset"] = "medium" }));
        var job = await slow.SubmitAsync(new { titleId = "long", source });
        await slow.WaitAsync(job.Id, j => j.Stage == Stage.Encoding);

        var again = await slow.Http.PostAsJsonAsync("/api/v1/jobs", new { titleId = "long", source });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var cancel = await slow.Http.PostAsync($"/api/v1/jobs/{job.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var cancelled = await slow.WaitFinishedAsync(job.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.Equal("cancelled by an operator", cancelled.Error);
        var origin = slow.Services.GetService(typeof(Packager.Publishing.OriginPublisher)) as Packager.Publishing.OriginPublisher;
        Assert.False(Directory.Exists(Path.Combine(origin!.OriginRoot, "long")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(origin.StagingRoot));
    }
}
