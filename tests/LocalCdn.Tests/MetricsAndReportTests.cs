using LocalCdn.Dns;
using LocalCdn.Media;
using LocalCdn.Report;

namespace LocalCdn.Tests;

public sealed class MetricsAndReportTests
{
    private const string EdgeBefore = """
        # HELP cdn_http_requests_total Requests answered, by status and cache result.
        # TYPE cdn_http_requests_total counter
        cdn_http_requests_total{service="edge",status="200",cache="hit"} 10
        cdn_http_requests_total{service="edge",status="200",cache="miss"} 4
        cdn_http_response_body_bytes_total{service="edge"} 1000
        """;

    private const string EdgeAfter = """
        cdn_http_requests_total{service="edge",status="200",cache="hit"} 105
        cdn_http_requests_total{service="edge",status="200",cache="miss"} 9
        cdn_http_requests_total{service="edge",status="304",cache="revalidated"} 2
        cdn_http_requests_total{service="edge",status="404",cache="synthetic"} 1
        cdn_http_response_body_bytes_total{service="edge"} 75001000 1732183200000
        """;

    [Fact]
    public void Series_are_summed_by_name_and_labels()
    {
        var m = MetricsSnapshot.Parse(EdgeAfter);

        Assert.Equal(117, m.Sum("cdn_http_requests_total"));
        Assert.Equal(105, m.Sum("cdn_http_requests_total", ("cache", "hit")));
        Assert.Equal(0, m.Sum("cdn_http_requests_total", ("cache", "hit"), ("status", "404")));
        Assert.Equal(75001000, m.Sum("cdn_http_response_body_bytes_total"));
        Assert.Equal(105, m.SumBy("cdn_http_requests_total", "cache")["hit"]);
    }

    [Fact]
    public void Escaped_label_values_and_special_numbers_are_read()
    {
        var m = MetricsSnapshot.Parse("x{path=\"a\\\"b,c\",le=\"+Inf\"} +Inf\ny 3.5e2\n");

        Assert.Equal(double.PositiveInfinity, m.Sum("x", ("path", "a\"b,c")));
        Assert.Equal(350, m.Sum("y"));
    }

    [Theory]
    [InlineData("x{a=\"1\" 3")]
    [InlineData("x{a=1} 3")]
    [InlineData("lonely")]
    public void A_malformed_line_is_an_error(string line)
        => Assert.Throws<FormatException>(() => MetricsSnapshot.Parse(line));

    [Fact]
    public void The_report_counts_only_what_happened_during_playback()
    {
        var shieldBefore = MetricsSnapshot.Parse("cdn_origin_requests_total{service=\"shield\",upstream=\"o\",outcome=\"200\"} 140\ncdn_origin_body_bytes_total{service=\"shield\",upstream=\"o\"} 70000000\n");
        var shieldAfter = MetricsSnapshot.Parse("cdn_origin_requests_total{service=\"shield\",upstream=\"o\",outcome=\"200\"} 143\ncdn_origin_body_bytes_total{service=\"shield\",upstream=\"o\"} 71000000\n");
        var report = new RunReport("edge-ams-1", new Uri("https://127.0.0.11:1/movie/master.m3u8"), MetricsSnapshot.Parse(EdgeBefore), MetricsSnapshot.Parse(EdgeAfter),
            [shieldBefore, MetricsSnapshot.Empty], [shieldAfter, shieldAfter], TimeSpan.FromMilliseconds(420), TimeSpan.FromSeconds(6));

        Assert.Equal(103, report.Requests);
        Assert.Equal(97, report.Hits); // 95 hits + 2 revalidated
        Assert.Equal(5, report.Misses);
        Assert.Equal(97.0 / 103, report.HitRatio);
        Assert.Equal(75_000_000, report.Bytes);
        Assert.Equal(3 + 143, report.OriginFetches); // the second shield was not scraped before: all of its count
        Assert.Equal(286, report.OriginFetchesSinceStart);
        Assert.Equal(146, report.OriginFetchesByOutcome["200"]);
        var text = report.Format();
        Assert.Contains("hit ratio     94.2 %  (97 of 103 requests", text, StringComparison.Ordinal);
        Assert.Contains("startup       0.42 s", text, StringComparison.Ordinal);
        Assert.Contains("75.0 MB to the player in 6.0 s (100 Mbit/s)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Fill_progress_from_edgectl_json_is_one_line_per_edge()
    {
        const string Json = """
            [{"nodeId":"edge-ams-1","site":"ams","planVersion":1,"objectsDone":90,"objectsTotal":90,"bytesDone":76100000,"bytesTotal":76100000,
              "rateBytesPerSecond":6.7E7,"errors":0,"inWindow":true,"reportedAt":"2026-11-21T10:49:30Z","activity":"done"}]
            """;

        Assert.Equal("edge-ams-1 (site ams) plan v1: 90/90 objects, 76.1/76.1 MB, 0 failing, window open, done", Chain.LocalCdnChain.DescribeFillProgress(Json));
    }

    [Fact]
    public void A_playback_without_requests_has_no_hit_ratio()
    {
        var report = new RunReport("e", new Uri("https://x/"), MetricsSnapshot.Empty, MetricsSnapshot.Empty, [], [], null, TimeSpan.Zero);

        Assert.Null(report.HitRatio);
        Assert.Contains("hit ratio     n/a", report.Format(), StringComparison.Ordinal);
        Assert.Contains("startup       n/a", report.Format(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dig_answers_are_read_in_order_and_other_records_ignored()
    {
        var answer = Dig.Parse("10.1.0.0/24", "video.cdn.test.\t30\tIN\tA\t127.0.0.11\nvideo.cdn.test. 30 IN A 127.0.0.12\n; comment\nvideo.cdn.test. 30 IN AAAA ::1\n");

        Assert.Equal(["127.0.0.11", "127.0.0.12"], answer.Addresses);
        Assert.Equal(3, answer.AnswerLines.Count);
    }

    [Theory]
    [InlineData("out_time_us=1500000", 1.5)]
    [InlineData("out_time_us=0", 0.0)]
    [InlineData("out_time_us=N/A", null)]
    [InlineData("out_time_us=-9223372036854775807", null)]
    [InlineData("total_size=100", null)]
    public void Ffmpeg_progress_lines_give_the_output_time(string line, double? seconds)
        => Assert.Equal(seconds, StreamPull.OutTimeSeconds(line));

    [Fact]
    public void The_player_sends_the_cdn_host_and_maps_every_stream()
    {
        var args = StreamPull.Arguments(new Uri("https://127.0.0.11:8443/movie/master.m3u8"), "video.cdn.test");

        Assert.Contains("Host: video.cdn.test\r\n", args);
        Assert.Equal("0", args[args.ToList().IndexOf("-map") + 1]);
        Assert.Equal("https://127.0.0.11:8443/movie/master.m3u8", args[args.ToList().IndexOf("-i") + 1]);
    }
}
