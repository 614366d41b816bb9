using Packager.Api;
using Packager.Encoding;
using Packager.Jobs;
using Packager.Notification;
using Packager.Sources;

namespace Packager.Tests.Jobs;

public sealed class InputRulesTests
{
    [Theory]
    [InlineData("movie-1", null)]
    [InlineData("Show.S01E02_v2", null)]
    [InlineData("", "a title id is required")]
    [InlineData("..", "must start with a letter or digit")]
    [InlineData("a/b", "may only contain")]
    [InlineData("a b", "may only contain")]
    [InlineData("émile", "may only contain")]
    public void Title_ids_are_safe_directory_names(string id, string? problem)
    {
        var found = TitleId.Problem(id);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_title_id_longer_than_128_is_refused()
        => Assert.Contains("at most 128", TitleId.Problem(new string('a', 129)), StringComparison.Ordinal);

    [Theory]
    [InlineData("Big Movie (2026).mov", "Big-Movie-2026")]
    [InlineData("_intro_.mp4", "intro")]
    [InlineData("###.mp4", null)]
    public void Watch_folder_file_names_are_turned_into_title_ids(string file, string? title)
        => Assert.Equal(title, TitleId.FromFileName(file));

    [Fact]
    public void Local_sources_can_be_confined_to_allowed_directories()
    {
        using var dir = new TempDirectory("pkg-src");
        var inside = dir.Combine("in.mp4");
        File.WriteAllText(inside, "x");

        Assert.NotNull(SourceReference.TryParse(inside, [dir.Path], mustExist: true, out _));
        Assert.Null(SourceReference.TryParse("/etc/passwd", [dir.Path], mustExist: true, out var problem));
        Assert.Contains("outside the allowed source directories", problem, StringComparison.Ordinal);
        Assert.Null(SourceReference.TryParse(dir.Path + "-other/x.mp4", [dir.Path], mustExist: false, out _));
        Assert.Equal(new Uri("https://media.example/m.mov"), SourceReference.TryParse("https://media.example/m.mov", [dir.Path], mustExist: true, out _)!.Url);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(8, 256)]
    [InlineData(9, 300)]
    [InlineData(60, 300)]
    public void Notification_retries_back_off_exponentially_up_to_the_cap(int attempt, int seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.Delay(attempt, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5)));

    [Fact]
    public void Submissions_are_checked_against_the_configured_profiles()
    {
        using var dir = new TempDirectory("pkg-src");
        var source = dir.Combine("in.mp4");
        File.WriteAllText(source, "x");
        var encoding = new EncodingOptions();
        encoding.Profiles["hevc"] = new Packager.Ladder.ProfileOptions { Codec = Packager.Ladder.VideoCodec.Hevc, Rungs = [new() { Name = "720p", Height = 720, BitrateKbps = 2000 }] };
        encoding.DefaultProfile = "hevc";

        Assert.Empty(SubmitValidator.Validate(new SubmitJobRequest { TitleId = "t", Source = source, Profile = "HEVC" }, encoding, new PackagerOptions()));
        var errors = SubmitValidator.Validate(new SubmitJobRequest { TitleId = "t", Source = source, Profile = "default" }, encoding, new PackagerOptions());
        Assert.Equal(["unknown profile 'default' (profiles: hevc)"], errors["profile"]);
    }
}
