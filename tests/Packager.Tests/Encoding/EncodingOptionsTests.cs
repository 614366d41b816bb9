using Cdn.Hosting.Configuration;
using Packager.Encoding;
using Packager.Ladder;
using Packager.Notification;

namespace Packager.Tests.Encoding;

public sealed class EncodingOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_give_the_seeds_ladder()
    {
        var errors = new OptionsErrors();
        new EncodingOptions().Validate("Encoding", errors);
        new PackagerOptions().Validate("Packager", errors);
        new ControlPlaneOptions().Validate("ControlPlane", errors);
        Assert.Empty(errors.Errors);
        Assert.Equal(
            ["360p:800", "480p:1400", "720p:2800", "1080p:5000", "2160p:14000"],
            new EncodingOptions().FindProfile(null)!.Rungs.Select(r => $"{r.Name}:{r.BitrateKbps}"));
    }

    [Fact]
    public void Every_bad_setting_is_reported_with_its_path()
    {
        var options = new EncodingOptions { SegmentDuration = TimeSpan.FromSeconds(30), SoftwarePreset = "turbo", HardwarePreset = "p9", DefaultProfile = "missing" };
        options.Profiles["4k"] = new ProfileOptions
        {
            Rungs =
            [
                new() { Name = "a", Height = 721, BitrateKbps = 10 },
                new() { Name = "a", Height = 1080, BitrateKbps = 5000, MaxBitrateKbps = 100 },
            ],
        };
        var errors = new OptionsErrors();

        options.Validate("Encoding", errors);

        Assert.Equal(
            [
                "Encoding:SegmentDuration: must be between 00:00:01 and 00:00:20, got 00:00:30",
                "Encoding:SoftwarePreset: 'turbo' is not an x264 preset (ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow)",
                "Encoding:HardwarePreset: 'p9' is not an NVENC preset (p1 … p7)",
                "Encoding:Profiles:4k:Rungs:0:Height: must be even (4:2:0 video), got 721",
                "Encoding:Profiles:4k:Rungs:0:BitrateKbps: must be between 64 and 200000, got 10",
                "Encoding:Profiles:4k:Rungs:1:MaxBitrateKbps: must be at least BitrateKbps (5000) and at most 400000, got 100",
                "Encoding:Profiles:4k:Rungs:1:Name: 'a' is used by two rungs",
                "Encoding:DefaultProfile: no profile named 'missing' (profiles: 4k)",
            ],
            errors.Errors);
    }

    [Fact]
    public void A_control_plane_url_needs_a_token()
    {
        var errors = new OptionsErrors();
        new ControlPlaneOptions { Url = "https://cp.example" }.Validate("ControlPlane", errors);
        new ControlPlaneOptions { Url = "ftp://cp.example", Token = "t" }.Validate("ControlPlane", errors);
        Assert.Equal(
            ["ControlPlane: a control plane URL needs a Token or TokenFile (its API requires authentication)", "ControlPlane:Url: 'ftp://cp.example' is not an http(s) URL"],
            errors.Errors);
    }

    [Fact]
    public void Heartbeats_must_fit_well_inside_the_lease()
    {
        var errors = new OptionsErrors();
        new PackagerOptions { LeaseDuration = TimeSpan.FromSeconds(10), HeartbeatInterval = TimeSpan.FromSeconds(6) }.Validate("Packager", errors);
        Assert.Contains(errors.Errors, e => e.StartsWith("Packager:HeartbeatInterval: must be less than half", StringComparison.Ordinal));
    }
}
