using GatewayServer.Http;
using static GatewayServer.Tests.Http.ParserHarness;

namespace GatewayServer.Tests.Http;

public sealed class HttpRequestParserTests
{
    [Theory]
    [MemberData(nameof(RequestCorpus.ValidNames), MemberType = typeof(RequestCorpus))]
    public void Valid_head_is_accepted_whole_one_byte_at_a_time_and_in_random_pieces(string name)
    {
        byte[] bytes = Bytes(RequestCorpus.Valid.Single(v => v.Name == name).Request);
        int length = HeadLength(bytes);
        RequestHead whole = Parse(RequestCorpus.Valid.Single(v => v.Name == name).Request, RequestCorpus.Limits);

        (RequestHead byByte, int consumed) = ParseGrowing(bytes, OneByteAtATime(), RequestCorpus.Limits);
        consumed.Should().Be(length);
        Describe(byByte).Should().Be(Describe(whole));

        for (int seed = 0; seed < 20; seed++)
        {
            (RequestHead split, int splitConsumed) = ParseGrowing(bytes, RandomPieces(seed), RequestCorpus.Limits);
            splitConsumed.Should().Be(length);
            Describe(split).Should().Be(Describe(whole));
        }
    }

    [Theory]
    [MemberData(nameof(RequestCorpus.InvalidNames), MemberType = typeof(RequestCorpus))]
    public void Invalid_head_is_rejected_with_its_status_whole_and_one_byte_at_a_time(string name)
    {
        (_, string request, int status) = RequestCorpus.Invalid.Single(v => v.Name == name);
        StatusOf(request, RequestCorpus.Limits).Should().Be(status);

        byte[] bytes = Bytes(request);
        var parser = new HttpRequestParser(RequestCorpus.Limits);
        var head = new RequestHead();
        int rejectedWith = 0;
        for (int available = 1; available <= bytes.Length && rejectedWith == 0; available++)
        {
            try
            {
                parser.TryParseHead(bytes.AsSpan(0, available), head, out _).Should().BeFalse("an invalid head never parses");
            }
            catch (BadHttpRequestException error)
            {
                rejectedWith = error.StatusCode;
            }
        }

        rejectedWith.Should().Be(status);
    }

    [Fact]
    public void Request_line_fields_are_split_into_method_target_path_query_and_version()
    {
        RequestHead head = Parse("GET /a%20b/c?x=1&y HTTP/1.1\r\nHost: h\r\n\r\n");
        Text(head, head.Method).Should().Be("GET");
        Text(head, head.Target).Should().Be("/a%20b/c?x=1&y");
        Text(head, head.Path).Should().Be("/a%20b/c");
        Text(head, head.Query).Should().Be("x=1&y");
        head.Version.Should().Be(HttpVersion.Http11);
        head.TargetForm.Should().Be(RequestTargetForm.Origin);
    }

    [Fact]
    public void More_headers_than_the_first_field_table_holds_are_all_kept_and_a_released_head_parses_again()
    {
        string fields = string.Concat(Enumerable.Range(0, 40).Select(i => $"X-{i}: v{i}\r\n"));
        var parser = new HttpRequestParser(new HttpLimits());
        var head = new RequestHead();
        byte[] request = Bytes($"GET / HTTP/1.1\r\nHost: h\r\n{fields}\r\n");
        for (int round = 0; round < 2; round++)
        {
            parser.TryParseHead(request, head, out _).Should().BeTrue();
            head.Headers.Length.Should().Be(41);
            Text(head, head.Headers[40].Name).Should().Be("X-39");
            Text(head, head.Headers[40].Value).Should().Be("v39");
            head.Release();
            head.Headers.Length.Should().Be(0, "an idle connection's head holds no fields");
        }
    }

    [Fact]
    public void Absolute_form_target_gives_its_authority_path_and_query()
    {
        RequestHead head = Parse("GET http://example.com:81/p?q HTTP/1.1\r\nHost: other\r\n\r\n");
        head.TargetForm.Should().Be(RequestTargetForm.Absolute);
        Text(head, head.TargetAuthority).Should().Be("example.com:81");
        Text(head, head.Path).Should().Be("/p");
        Text(head, head.Query).Should().Be("q");
    }

    [Fact]
    public void Header_values_have_optional_whitespace_trimmed_on_both_sides()
    {
        RequestHead head = Parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: \t a b \t\r\nX-Empty:   \r\n\r\n");
        Text(head, head.Headers[1].Value).Should().Be("a b");
        Text(head, head.Headers[2].Value).Should().Be(string.Empty);
        Text(head, head.Host).Should().Be("h");
    }

    [Fact]
    public void Identical_duplicate_Content_Length_is_accepted_as_one()
    {
        RequestHead head = Parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\ncontent-length: 12\r\n\r\n");
        head.Framing.Should().Be(BodyFraming.ContentLength);
        head.ContentLength.Should().Be(12);
    }

    [Fact]
    public void Largest_Content_Length_parses_without_wrapping()
    {
        RequestHead head = Parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9223372036854775807\r\n\r\n");
        head.ContentLength.Should().Be(long.MaxValue);
    }

    [Fact]
    public void Chunked_transfer_encoding_frames_the_body_as_chunked()
    {
        Parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n").Framing.Should().Be(BodyFraming.Chunked);
    }

    [Fact]
    public void Zero_Content_Length_means_no_body()
    {
        Parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").Framing.Should().Be(BodyFraming.None);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, Close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false)]
    public void Persistence_follows_the_version_and_Connection_options(string request, bool keepAlive)
    {
        Parse(request).KeepAlive.Should().Be(keepAlive);
    }

    [Theory]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", true)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nconnection: keep-alive, upgrade\r\nupgrade: websocket\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n", false)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\n\r\n", false)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: \r\n\r\n", false)]
    [InlineData("GET /ws HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", false)]
    [InlineData("POST /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: 3\r\n\r\n", false)]
    [InlineData("POST /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nTransfer-Encoding: chunked\r\n\r\n", false)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nReferer: upgrade\r\nConnection: Upgrade\r\n\r\n", false)]
    public void A_request_may_upgrade_only_on_HTTP_1_1_with_Connection_upgrade_an_Upgrade_header_and_no_body(string request, bool canUpgrade)
    {
        Parse(request).CanUpgrade.Should().Be(canUpgrade);
    }

    [Fact]
    public void Expect_100_continue_is_ignored_on_HTTP_1_0()
    {
        Parse("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n").ExpectContinue.Should().BeFalse();
        Parse("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n").ExpectContinue.Should().BeTrue();
    }

    [Fact]
    public void Bytes_after_the_head_are_not_consumed()
    {
        byte[] bytes = Bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n");
        var parser = new HttpRequestParser(new HttpLimits());
        parser.TryParseHead(bytes, new RequestHead(), out int consumed).Should().BeTrue();
        consumed.Should().Be(bytes.Length - "abcGET / HTTP/1.1\r\n".Length);
    }

    [Fact]
    public void Pipelined_heads_parse_one_after_another_with_the_same_parser()
    {
        byte[] bytes = Bytes("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
        var parser = new HttpRequestParser(new HttpLimits());
        var head = new RequestHead();
        parser.TryParseHead(bytes, head, out int first).Should().BeTrue();
        Text(head, head.Target).Should().Be("/1");
        parser.TryParseHead(bytes.AsSpan(first), head, out int second).Should().BeTrue();
        Text(head, head.Target).Should().Be("/2");
        (first + second).Should().Be(bytes.Length);
    }

    [Fact]
    public void Incomplete_head_asks_for_more_bytes_and_consumes_nothing()
    {
        var parser = new HttpRequestParser(new HttpLimits());
        parser.TryParseHead(Bytes("GET / HTTP/1.1\r\nHost: h\r\n"), new RequestHead(), out int consumed).Should().BeFalse();
        consumed.Should().Be(0);
        parser.HasPartialHead.Should().BeTrue();
    }

    [Fact]
    public void Request_line_exactly_at_the_limit_is_accepted_and_one_byte_more_gets_414()
    {
        var limits = new HttpLimits { MaxRequestLine = 30 };
        string line = "GET /" + new string('a', 30 - "GET / HTTP/1.1".Length) + " HTTP/1.1";
        line.Length.Should().Be(30);
        StatusOf(line + "\r\nHost: h\r\n\r\n", limits).Should().Be(0);
        StatusOf(line.Replace("/a", "/aa", StringComparison.Ordinal) + "\r\nHost: h\r\n\r\n", limits).Should().Be(414);
    }

    [Fact]
    public void Overlong_request_line_gets_414_before_its_end_arrives()
    {
        var limits = new HttpLimits { MaxRequestLine = 30 };
        StatusOf("GET /" + new string('a', 40), limits).Should().Be(414);
    }

    [Fact]
    public void Overlong_header_line_gets_431_before_its_end_arrives()
    {
        var limits = new HttpLimits { MaxHeaderFieldSize = 20 };
        StatusOf("GET / HTTP/1.1\r\nX: " + new string('a', 30), limits).Should().Be(431);
        StatusOf("GET / HTTP/1.1\r\nHost: h\r\nX: " + new string('a', 17) + "\r\n\r\n", limits).Should().Be(0);
    }

    [Fact]
    public void Header_count_at_the_limit_is_accepted_and_one_more_gets_431()
    {
        var limits = new HttpLimits { MaxHeaderCount = 3 };
        StatusOf("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n", limits).Should().Be(0);
        StatusOf("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits).Should().Be(431);
    }

    [Fact]
    public void Content_Length_equal_to_the_body_limit_is_accepted_and_one_more_gets_413()
    {
        var limits = new HttpLimits { MaxBodySize = 10 };
        StatusOf("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n", limits).Should().Be(0);
        StatusOf("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", limits).Should().Be(413);
    }

    [Fact]
    public void Unsupported_version_is_505_and_malformed_version_is_400()
    {
        StatusOf("GET / HTTP/3.0\r\n\r\n").Should().Be(505);
        StatusOf("GET / HTTP/1.x\r\n\r\n").Should().Be(400);
        StatusOf("GET / HTTPS/1.1\r\n\r\n").Should().Be(400);
    }

    [Fact]
    public void Rejection_reason_names_the_rule_that_was_broken()
    {
        Reason("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n").Should().Be(RequestRejectionReason.ObsoleteLineFolding);
        Reason("GET / HTTP/1.1\r\nHost : h\r\n\r\n").Should().Be(RequestRejectionReason.WhitespaceBeforeColon);
        Reason("GET / HTTP/1.1\nHost: h\r\n\r\n").Should().Be(RequestRejectionReason.BareLineFeed);
        Reason("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").Should().Be(RequestRejectionReason.MultipleContentLength);
        Reason("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n").Should().Be(RequestRejectionReason.TransferEncodingWithContentLength);
        Reason("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n").Should().Be(RequestRejectionReason.TransferEncodingOnHttp10);
        Reason("GET / HTTP/1.1\r\n\r\n").Should().Be(RequestRejectionReason.MissingHost);
        Reason("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n").Should().Be(RequestRejectionReason.MultipleHost);
    }

    [Fact]
    public void Fault_inside_a_line_is_refused_once_the_head_is_complete()
    {
        var parser = new HttpRequestParser(new HttpLimits());
        var head = new RequestHead();
        parser.TryParseHead(Bytes("GET / HTTP/1.1\r\nHost : h\r\n"), head, out _).Should().BeFalse();

        Action complete = () => parser.TryParseHead(Bytes("GET / HTTP/1.1\r\nHost : h\r\n\r\n"), head, out _);
        complete.Should().Throw<BadHttpRequestException>().Which.Reason.Should().Be(RequestRejectionReason.WhitespaceBeforeColon);
    }

    [Fact]
    public void Broken_line_anywhere_outranks_a_fault_inside_a_line_and_the_first_fault_inside_a_line_wins()
    {
        var limits = new HttpLimits { MaxHeaderFieldSize = 20 };
        Reason("GE(T / HTTP/1.1\r\nHost: h\r\nX: " + new string('a', 30) + "\r\n\r\n", limits).Should().Be(RequestRejectionReason.HeaderFieldTooLarge);
        Reason("GET / HTTP/1.1\r\nHost : h\r\nX: y\n\r\n").Should().Be(RequestRejectionReason.BareLineFeed);
        Reason("POST / HTTP/1.1\r\nHost: h\r\nExpect: nope\r\nBad Name: y\r\n\r\n").Should().Be(RequestRejectionReason.UnsupportedExpectation);
    }

    private static RequestRejectionReason? Reason(string request, HttpLimits? limits = null)
    {
        try
        {
            Parse(request, limits);
            return null;
        }
        catch (BadHttpRequestException error)
        {
            return error.Reason;
        }
    }

    private static string Describe(RequestHead head)
    {
        var text = new System.Text.StringBuilder();
        text.Append(Text(head, head.Method)).Append('|').Append(Text(head, head.Target)).Append('|')
            .Append(Text(head, head.Path)).Append('|').Append(Text(head, head.Query)).Append('|')
            .Append(head.Version).Append('|').Append(head.TargetForm).Append('|').Append(head.Framing).Append('|')
            .Append(head.ContentLength).Append('|').Append(head.KeepAlive).Append('|').Append(head.ExpectContinue).Append('|')
            .Append(Text(head, head.Host));
        foreach (HeaderField field in head.Headers)
        {
            text.Append('|').Append(Text(head, field.Name)).Append('=').Append(Text(head, field.Value));
        }

        return text.ToString();
    }
}
