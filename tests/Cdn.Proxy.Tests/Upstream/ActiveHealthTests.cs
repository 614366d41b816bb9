using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Tests.Upstream;

public sealed class ActiveHealthTests
{
    private static (UpstreamServer Origin, FakeTimeProvider Time) Origin(int failuresToMarkDown = 3)
    {
        var time = new FakeTimeProvider();
        var options = new UpstreamOptions
        {
            Origins = [new UpstreamServerOptions { Url = "http://origin-a.test" }],
            FailuresToMarkDown = failuresToMarkDown,
            DownTime = TimeSpan.FromSeconds(10),
            HealthCheck = new ActiveHealthCheckOptions { UnhealthyThreshold = 2, HealthyThreshold = 2 },
        };
        return (new UpstreamPool(options, time).Origins[0], time);
    }

    [Fact]
    public void Failed_probes_take_an_origin_down_without_any_live_request()
    {
        var (origin, _) = Origin();

        Assert.False(origin.RecordCheck(passed: false));
        Assert.Equal(UpstreamHealth.Up, origin.Health);
        Assert.True(origin.RecordCheck(passed: false));

        Assert.Equal(UpstreamHealth.Down, origin.Health);
        Assert.False(origin.TryAcquire());
    }

    [Fact]
    public void An_origin_the_probes_took_down_stays_down_past_the_passive_down_time_until_enough_probes_pass()
    {
        var (origin, time) = Origin();
        origin.RecordCheck(false);
        origin.RecordCheck(false);

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(origin.TryAcquire()); // passive down time is irrelevant: the probes hold it down

        Assert.False(origin.RecordCheck(passed: true));
        Assert.Equal(UpstreamHealth.Down, origin.Health);
        Assert.False(origin.TryAcquire());
        Assert.True(origin.RecordCheck(passed: true));

        Assert.Equal(UpstreamHealth.Up, origin.Health);
        Assert.True(origin.TryAcquire());
    }

    [Fact]
    public void A_failed_probe_between_passes_restarts_the_count_towards_up()
    {
        var (origin, _) = Origin();
        origin.RecordCheck(false);
        origin.RecordCheck(false);

        origin.RecordCheck(true);
        origin.RecordCheck(false);
        origin.RecordCheck(true);

        Assert.Equal(UpstreamHealth.Down, origin.Health);
        origin.RecordCheck(true);
        Assert.Equal(UpstreamHealth.Up, origin.Health);
    }

    [Fact]
    public void A_passing_probe_ends_a_passive_down_time_early_and_one_live_request_decides()
    {
        var (origin, time) = Origin(failuresToMarkDown: 2);
        origin.RecordFailure();
        origin.RecordFailure();
        Assert.Equal(UpstreamHealth.Down, origin.Health);
        Assert.False(origin.TryAcquire());

        time.Advance(TimeSpan.FromSeconds(1)); // well within the 10 s down time
        origin.RecordCheck(passed: true);

        Assert.Equal(UpstreamHealth.Probing, origin.Health);
        Assert.True(origin.TryAcquire());
        Assert.False(origin.TryAcquire()); // only one live probe
        origin.RecordSuccess();
        Assert.Equal(UpstreamHealth.Up, origin.Health);
        Assert.True(origin.TryAcquire());
    }

    [Fact]
    public void Passive_failures_take_an_origin_down_even_while_its_probes_pass()
    {
        var (origin, _) = Origin(failuresToMarkDown: 2);
        origin.RecordCheck(true);

        origin.RecordFailure();
        origin.RecordFailure();

        Assert.Equal(UpstreamHealth.Down, origin.Health);
        Assert.False(origin.TryAcquire());
    }

    [Fact]
    public void A_parent_is_probed_only_when_it_has_a_health_check_url_and_origins_only_with_a_health_check_section()
    {
        var pool = new UpstreamPool(new UpstreamOptions
        {
            Parents =
            [
                new UpstreamServerOptions { Url = "http://shield-1.test:8070", HealthCheckUrl = "http://shield-1.test:9070/readyz" },
                new UpstreamServerOptions { Url = "http://shield-2.test:8070" },
            ],
            Origins = [new UpstreamServerOptions { Url = "http://origin.test" }],
        }, TimeProvider.System);

        Assert.NotNull(pool.Parents[0].ActiveChecks);
        Assert.Null(pool.Parents[1].ActiveChecks);
        Assert.Null(pool.Origins[0].ActiveChecks); // without a HealthCheck section origins are not probed with its defaults
        Assert.Throws<InvalidOperationException>(() => pool.Parents[1].RecordCheck(true));
    }

    [Fact]
    public void A_health_check_section_covers_every_origin()
    {
        var pool = new UpstreamPool(new UpstreamOptions
        {
            Origins = [new UpstreamServerOptions { Url = "http://a.test" }, new UpstreamServerOptions { Url = "http://b.test" }],
            HealthCheck = new ActiveHealthCheckOptions { Path = "/healthz" },
        }, TimeProvider.System);

        Assert.All(pool.Origins, o => Assert.Equal("/healthz", o.ActiveChecks!.Path));
    }

    [Fact]
    public void Without_a_health_check_section_or_url_nothing_is_probed()
    {
        var pool = new UpstreamPool(new UpstreamOptions
        {
            Parents = [new UpstreamServerOptions { Url = "http://shield.test" }],
            Origins = [new UpstreamServerOptions { Url = "http://origin.test" }],
        }, TimeProvider.System);

        Assert.All(pool.All, s => Assert.Null(s.ActiveChecks));
    }

    [Theory]
    [InlineData("200-399", 200, true)]
    [InlineData("200-399", 399, true)]
    [InlineData("200-399", 404, false)]
    [InlineData("200, 204, 300-302", 204, true)]
    [InlineData("200, 204, 300-302", 303, false)]
    public void Expected_statuses_are_codes_and_ranges(string expected, int status, bool passes)
        => Assert.Equal(passes, new ActiveHealthCheckOptions { ExpectedStatus = expected }.Passes(status));

    [Fact]
    public void Bad_health_check_settings_are_all_reported_with_their_paths()
    {
        var errors = new Cdn.Hosting.Configuration.OptionsErrors();
        new ActiveHealthCheckOptions
        {
            Path = "healthz", Method = "POST", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(2),
            ExpectedStatus = "200-abc", UnhealthyThreshold = 0,
        }.Validate("Shield:Upstreams:HealthCheck", errors);

        Assert.Contains("Shield:Upstreams:HealthCheck:Path: 'healthz' must start with '/'", errors.Errors);
        Assert.Contains("Shield:Upstreams:HealthCheck:Method: must be GET or HEAD, got 'POST'", errors.Errors);
        Assert.Contains(errors.Errors, e => e.StartsWith("Shield:Upstreams:HealthCheck:Timeout: must not exceed Interval", StringComparison.Ordinal));
        Assert.Contains("Shield:Upstreams:HealthCheck:ExpectedStatus: 'abc' is not an HTTP status (100-599)", errors.Errors);
        Assert.Contains(errors.Errors, e => e.StartsWith("Shield:Upstreams:HealthCheck:UnhealthyThreshold:", StringComparison.Ordinal));
    }
}
