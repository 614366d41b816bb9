using System.Buffers;
using System.Text;
using Cdn.Proxy.FastPath;

namespace Cdn.Proxy.Tests.FastPath;

public sealed class RequestHeadParserTests
{
    private readonly RequestHeadParser _parser = new(new FastPathOptions { MaxRequestHeadBytes = 2048, MaxRequestTargetBytes = 512, MaxHeaderCount = 10 });
    private readonly FastRequest _request = new();

    private ParseStatus Parse(string text, out long consumed)
    {
        var bytes = new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text));
        var status = _parser.TryParse(bytes, _request, out var position);
        consumed = bytes.Slice(0, position).Length;
        return status;
    }

    [Fact]
    public void A_complete_request_is_parsed_with_the_headers_the_cache_needs()
    {
        var text = "GET /t1/seg.m4s?x=1 HTTP/1.1\r\nHost: cdn.test\r\nRange: bytes=0-9\r\nIf-None-Match: \"a\"\r\nUser-Agent: hls.js\r\nConnection: close\r\n\r\n";

        Assert.Equal(ParseStatus.Complete, Parse(text, out var consumed));

        Assert.Equal(text.Length, consumed);
        Assert.Equal("GET", _request.Method);
        Assert.Equal("/t1/seg.m4s?x=1", _request.Target);
        Assert.Equal("cdn.test", _request.Host);
        Assert.Equal("bytes=0-9", _request.Range);
        Assert.Equal("\"a\"", _request.IfNoneMatch);
        Assert.Equal("hls.js", _request.Header("user-agent"));
        Assert.False(_request.KeepAlive);
    }

    [Fact]
    public void Pipelined_requests_are_consumed_one_at_a_time()
    {
        const string One = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
        Assert.Equal(ParseStatus.Complete, Parse(One + One + "GET /b HTTP/1.1\r\n", out var consumed));
        Assert.Equal(One.Length, consumed);
    }

    [Fact]
    public void A_partial_head_needs_more_bytes() => Assert.Equal(ParseStatus.Incomplete, Parse("GET /a HTTP/1.1\r\nHost: x\r\n", out _));

    [Theory]
    [InlineData("GET /a HTTP/1.1\r\nHost : x\r\n\r\n", 400, "invalid header field name")]
    [InlineData("GET /a HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400, "obsolete line folding in header")]
    [InlineData("GET /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400, "more than one Host header")]
    [InlineData("GET /a HTTP/1.1\r\n\r\n", 400, "missing Host header")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "both Content-Length and Transfer-Encoding")]
    [InlineData("GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400, "invalid Content-Length")]
    [InlineData("GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400, "invalid Content-Length")]
    [InlineData("GET /a HTTP/2.0\r\nHost: x\r\n\r\n", 505, "HTTP version not supported on this port")]
    [InlineData("GET /a FTP/1.0\r\nHost: x\r\n\r\n", 400, "malformed request line")]
    [InlineData("GET\r\nHost: x\r\n\r\n", 400, "malformed request line")]
    [InlineData("G(T /a HTTP/1.1\r\nHost: x\r\n\r\n", 400, "invalid method")]
    [InlineData("GET /a\tb HTTP/1.1\r\nHost: x\r\n\r\n", 400, "invalid character in request target")]
    [InlineData("GET /a HTTP/1.1\r\nHost: x\rY\r\n\r\n", 400, "bare CR, LF or NUL in a header field")]
    [InlineData("GET /a HTTP/1.1\r\nno-colon-here\r\n\r\n", 400, "malformed header field")]
    public void Malformed_heads_are_refused_with_the_right_status(string text, int status, string reason)
    {
        Assert.Equal(ParseStatus.Error, Parse(text, out _));
        Assert.Equal(status, _parser.ErrorStatus);
        Assert.Equal(reason, _parser.ErrorReason);
    }

    [Fact]
    public void A_target_over_the_limit_is_414_even_before_the_head_ends()
    {
        Assert.Equal(ParseStatus.Error, Parse("GET /" + new string('a', 600), out _));
        Assert.Equal(414, _parser.ErrorStatus);
    }

    [Fact]
    public void A_head_over_the_limit_is_431()
    {
        Assert.Equal(ParseStatus.Error, Parse("GET /a HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('b', 3000), out _));
        Assert.Equal(431, _parser.ErrorStatus);
    }

    [Fact]
    public void Too_many_header_fields_is_431()
    {
        var text = "GET /a HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 12).Select(i => $"X-{i}: v\r\n")) + "\r\n";
        Assert.Equal(ParseStatus.Error, Parse(text, out _));
        Assert.Equal(431, _parser.ErrorStatus);
    }

    [Fact]
    public void Http10_keeps_alive_only_when_asked()
    {
        Assert.Equal(ParseStatus.Complete, Parse("GET /a HTTP/1.0\r\n\r\n", out _));
        Assert.False(_request.KeepAlive);
        Assert.Equal(ParseStatus.Complete, Parse("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", out _));
        Assert.True(_request.KeepAlive);
    }

    [Fact]
    public void Leading_empty_lines_are_ignored()
        => Assert.Equal(ParseStatus.Complete, Parse("\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n", out _));
}

public sealed class RequestHeadParserReuseTests
{
    private readonly RequestHeadParser _parser = new(new FastPathOptions());

    private FastRequest Parse(string text)
    {
        var request = new FastRequest();
        Assert.Equal(ParseStatus.Complete, _parser.TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), request, out _));
        return request;
    }

    [Fact]
    public void Host_and_origin_strings_are_reused_while_the_bytes_match_and_replaced_when_they_change()
    {
        var first = Parse("GET /a HTTP/1.1\r\nHost: cdn.test\r\nOrigin: https://player.test\r\n\r\n");
        var second = Parse("GET /b HTTP/1.1\r\nHost: cdn.test\r\nOrigin: https://player.test\r\n\r\n");
        var third = Parse("GET /c HTTP/1.1\r\nHost: cdn.tesT\r\nOrigin: https://other.test\r\n\r\n");
        var fourth = Parse("GET /d HTTP/1.1\r\nHost: cdn.test\r\n\r\n");

        Assert.Same(first.Host, second.Host);
        Assert.Same(first.Origin, second.Origin);
        Assert.Equal("cdn.tesT", third.Host);
        Assert.Equal("https://other.test", third.Origin);
        Assert.Equal("cdn.test", fourth.Host);
        Assert.Null(fourth.Origin);
    }

    [Theory]
    [InlineData("close", false, true, false)]
    [InlineData("Keep-Alive", true, false, true)]
    [InlineData(" upgrade ,\tCLOSE ", false, true, false)]
    [InlineData("keep-alive, close", false, true, true)]
    [InlineData("closed, keep-aliveX", true, false, false)]
    public void Connection_tokens_are_matched_whole_and_case_insensitively(string value, bool keepAlive, bool close, bool keepAliveToken)
    {
        var request = Parse($"GET /a HTTP/1.1\r\nHost: x\r\nConnection: {value}\r\n\r\n");

        Assert.Equal(keepAlive, request.KeepAlive);
        Assert.Equal(close, request.ConnectionClose);
        Assert.Equal(keepAliveToken, request.ConnectionKeepAlive);
    }
}
