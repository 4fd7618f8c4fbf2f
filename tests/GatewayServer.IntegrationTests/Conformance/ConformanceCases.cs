namespace GatewayServer.IntegrationTests.Conformance;

/// <summary>The table of raw-socket cases run against EchoApp with default settings.</summary>
public static class ConformanceCases
{
    private const string H = "Host: example.com\r\n";
    private const string S = ConformanceRunner.Smuggled;

    private static ConformanceCase Ok(string name, string request) => new(name, request, [200], Closes: false);

    private static ConformanceCase Bad(string name, string request, int status = 400) => new(name, request + S, [status], Closes: true);

    public static readonly ConformanceCase[] All =
    [
        // Request line (RFC 9112 section 3).
        Ok("GET origin-form", "GET /a/b?x=1 HTTP/1.1\r\n" + H + "\r\n") with { EchoTargets = ["/a/b?x=1"], EchoMethod = "GET", EchoVersion = "HTTP/1.1" },
        Ok("extension method", "PURGE /x HTTP/1.1\r\n" + H + "\r\n") with { EchoMethod = "PURGE" },
        Ok("absolute-form target", "GET http://example.com/abs?q HTTP/1.1\r\n" + H + "\r\n") with { EchoTargets = ["http://example.com/abs?q"] },
        Ok("OPTIONS asterisk", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n") with { EchoTargets = ["*"], EchoMethod = "OPTIONS" },
        Ok("HTTP/1.2 served as 1.1", "GET / HTTP/1.2\r\n" + H + "\r\n") with { EchoVersion = "HTTP/1.1" },
        Ok("leading empty lines are ignored", "\r\n\r\nGET /lead HTTP/1.1\r\n" + H + "\r\n") with { EchoTargets = ["/lead"] },
        new ConformanceCase("HEAD has no body", "HEAD / HTTP/1.1\r\n" + H + "\r\n", [200], Closes: false) { Head = true },
        Bad("asterisk for GET", "GET * HTTP/1.1\r\n" + H + "\r\n"),
        Bad("authority-form for GET", "GET example.com:80 HTTP/1.1\r\n" + H + "\r\n"),
        Bad("CONNECT without a port", "CONNECT example.com HTTP/1.1\r\n" + H + "\r\n"),
        Bad("double space in the request line", "GET  / HTTP/1.1\r\n" + H + "\r\n"),
        Bad("tab in the request line", "GET\t/ HTTP/1.1\r\n" + H + "\r\n"),
        Bad("missing version", "GET /\r\n" + H + "\r\n"),
        Bad("lower-case version", "GET / http/1.1\r\n" + H + "\r\n"),
        Bad("separator in the method", "G(ET / HTTP/1.1\r\n" + H + "\r\n"),
        Bad("fragment in the target", "GET /a#b HTTP/1.1\r\n" + H + "\r\n"),
        Bad("control byte in the target", "GET /a\u0001b HTTP/1.1\r\n" + H + "\r\n"),
        Bad("userinfo in an absolute-form target", "GET http://u@example.com/ HTTP/1.1\r\n" + H + "\r\n"),
        Bad("HTTP/2.0 request line", "GET / HTTP/2.0\r\n" + H + "\r\n", 505),
        Bad("HTTP/0.9 version", "GET / HTTP/0.9\r\n" + H + "\r\n", 505),
        Bad("bare LF ending the request line", "GET / HTTP/1.1\n" + H + "\r\n"),
        Bad("bare CR in the request line", "GET /\rx HTTP/1.1\r\n" + H + "\r\n"),
        Bad("binary garbage", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003\r\n\r\n"),

        // Host (RFC 9112 section 3.2, RFC 9110 section 7.2).
        Ok("Host with a port", "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"),
        Ok("IPv6 Host", "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"),
        Ok("empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n"),
        Ok("HTTP/1.0 without Host", "GET /ten HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") with { EchoVersion = "HTTP/1.0" },
        Bad("missing Host on 1.1", "GET / HTTP/1.1\r\n\r\n"),
        Bad("two Host headers", "GET / HTTP/1.1\r\n" + H + H + "\r\n"),
        Bad("two different Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        Bad("Host with userinfo", "GET / HTTP/1.1\r\nHost: evil@example.com\r\n\r\n"),
        Bad("Host with a path", "GET / HTTP/1.1\r\nHost: example.com/x\r\n\r\n"),
        Bad("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n"),
        Bad("Host with a bad port", "GET / HTTP/1.1\r\nHost: example.com:8o\r\n\r\n"),

        // Header syntax (RFC 9112 section 5, RFC 9110 section 5.5).
        Ok("value whitespace is trimmed", "GET / HTTP/1.1\r\n" + H + "X-Pad: \t padded \t\r\n\r\n") with { EchoHeaders = [("x-pad", "padded")] },
        Ok("repeated headers are joined", "GET / HTTP/1.1\r\n" + H + "X-Rep: a\r\nX-Rep: b\r\n\r\n") with { EchoHeaders = [("x-rep", "a, b")] },
        Ok("underscore header never reaches the app", "GET / HTTP/1.1\r\n" + H + "X_Forwarded_For: 6.6.6.6\r\n\r\n") with { EchoHeadersAbsent = ["x-forwarded-for"] },
        Ok("obs-text in a value is kept", "GET / HTTP/1.1\r\n" + H + "X-Latin: caf\u00e9\r\n\r\n"),
        Bad("whitespace before the colon", "GET / HTTP/1.1\r\n" + H + "X-A : 1\r\n\r\n"),
        Bad("obs-fold", "GET / HTTP/1.1\r\n" + H + "X-A: 1\r\n 2\r\n\r\n"),
        Bad("header line without a colon", "GET / HTTP/1.1\r\n" + H + "NoColon\r\n\r\n"),
        Bad("empty header name", "GET / HTTP/1.1\r\n" + H + ": v\r\n\r\n"),
        Bad("NUL in a header value", "GET / HTTP/1.1\r\n" + H + "X-A: a\0b\r\n\r\n"),
        Bad("bare CR in a header value", "GET / HTTP/1.1\r\n" + H + "X-A: a\rb\r\n\r\n"),
        Bad("bare LF between headers", "GET / HTTP/1.1\r\n" + H + "X-A: a\nX-B: b\r\n\r\n"),
        Bad("separator in a header name", "GET / HTTP/1.1\r\n" + H + "X[A]: 1\r\n\r\n"),

        // Content-Length (RFC 9112 section 6.3, RFC 9110 section 8.6).
        Ok("Content-Length body", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nhello") with { EchoBody = "hello" },
        Ok("Content-Length zero", "POST / HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n") with { EchoBody = "" },
        Ok("identical duplicate Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc") with { EchoBody = "abc" },
        Ok("unread Content-Length body is drained", "POST /noread HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nhello"),
        Bad("differing Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
        Bad("Content-Length list", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3, 3\r\n\r\nabc"),
        Bad("signed Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: +3\r\n\r\nabc"),
        Bad("negative Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n"),
        Bad("overflowing Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 18446744073709551621\r\n\r\nhello"),
        Bad("Content-Length with a space inside", "POST / HTTP/1.1\r\n" + H + "Content-Length: 1 2\r\n\r\n"),

        // Transfer-Encoding and chunk framing (RFC 9112 sections 6.1 and 7.1).
        Ok("chunked body", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n") with { EchoBody = "hello world" },
        Ok("chunked in capitals", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: Chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n") with { EchoBody = "x" },
        Ok("chunk extensions are skipped", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5;a=b;c=\"d e\"\r\nhello\r\n0;z\r\n\r\n") with { EchoBody = "hello" },
        Ok("hex chunk sizes", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n") with { EchoBody = "01234567890123456789" },
        Ok("trailers are dropped", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-Trailer: t\r\nContent-Length: 99\r\n\r\n") with { EchoBody = "ok", EchoHeadersAbsent = ["x-trailer"] },
        Ok("unread chunked body is drained", "POST /noread HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
        Bad("chunked with Content-Length (CL.TE)", "POST / HTTP/1.1\r\n" + H + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG"),
        Bad("chunked with Content-Length (TE.CL)", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n"),
        Bad("TE.TE: second Transfer-Encoding header", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n0\r\n\r\n"),
        Bad("TE.TE: xchunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
        Bad("TE.TE: chunked with trailing junk", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked x\r\n\r\n0\r\n\r\n"),
        Bad("TE.TE: space before the colon", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
        Bad("TE.TE: vertical tab before chunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding:\u000bchunked\r\n\r\n0\r\n\r\n"),
        Bad("TE.TE: folded Transfer-Encoding", "POST / HTTP/1.1\r\n" + H + "X: y\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Bad("TE.TE: chunked twice", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
        Bad("chunked not last", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"),
        Bad("unknown transfer coding", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        Bad("Transfer-Encoding on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Bad("chunk size with a sign", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n"),
        Bad("chunk size 0x prefix", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n"),
        Bad("overflowing chunk size", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n1FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n"),
        Bad("whitespace after the chunk size", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n"),
        Bad("chunk data longer than its size", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n"),
        Bad("bare LF after the chunk size", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n"),
        Bad("bare LF after the chunk data", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n"),
        Bad("control byte in a chunk extension", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5;a\u0001\r\nhello\r\n0\r\n\r\n"),
        Bad("malformed trailer", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nNoColon\r\n\r\n"),
        Bad("folded trailer", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX: a\r\n b\r\n\r\n"),
        new ConformanceCase("malformed chunk the app never reads closes after its response", "POST /noread HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n" + S, [200], Closes: true),

        // Pipelining (RFC 9112 section 9.3.2).
        new ConformanceCase("three pipelined GETs", "GET /1 HTTP/1.1\r\n" + H + "\r\nGET /2 HTTP/1.1\r\n" + H + "\r\nGET /3 HTTP/1.1\r\n" + H + "\r\n", [200, 200, 200], Closes: false) { EchoTargets = ["/1", "/2", "/3"] },
        new ConformanceCase("pipelined POSTs keep their bodies apart", "POST /a HTTP/1.1\r\n" + H + "Content-Length: 3\r\n\r\nabcPOST /b HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\nGET /c HTTP/1.1\r\n" + H + "\r\n", [200, 200, 200], Closes: false) { EchoTargets = ["/a", "/b", "/c"], EchoBody = "abc" },
        new ConformanceCase("pipelined request after Connection: close is not answered", "GET /1 HTTP/1.1\r\n" + H + "Connection: close\r\n\r\nGET /2 HTTP/1.1\r\n" + H + "\r\n", [200], Closes: true) { EchoTargets = ["/1"], SentAfterClose = true },
        new ConformanceCase("good request then a bad one: only the good one is answered", "GET /1 HTTP/1.1\r\n" + H + "\r\nGET /2 HTTP/1.1\r\nHost : x\r\n\r\n" + S, [200, 400], Closes: true) { EchoTargets = ["/1"] },

        // Persistence (RFC 9112 section 9.3).
        new ConformanceCase("HTTP/1.0 closes by default", "GET / HTTP/1.0\r\n\r\n", [200], Closes: true) { EchoVersion = "HTTP/1.0" },
        Ok("HTTP/1.0 keep-alive persists", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
        new ConformanceCase("HTTP/1.1 Connection: close closes", "GET / HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n", [200], Closes: true),
        new ConformanceCase("close among other Connection options closes", "GET / HTTP/1.1\r\n" + H + "Connection: upgrade, Close\r\n\r\n", [200], Closes: true),

        // Expect (RFC 9110 section 10.1.1).
        new ConformanceCase("100-continue before the body is read", "POST / HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\nhi", [100, 200], Closes: false) { EchoBody = "hi" },
        new ConformanceCase("100-continue never sent when the app does not read", "POST /noread HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n", [200], Closes: true),
        new ConformanceCase("Expect on HTTP/1.0 is ignored", "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi", [200], Closes: true) { EchoBody = "hi" },
        Bad("unknown expectation", "POST / HTTP/1.1\r\n" + H + "Expect: 200-ok\r\nContent-Length: 2\r\n\r\nhi", 417),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (ConformanceCase testCase in All)
        {
            data.Add(testCase.Name);
        }

        return data;
    }
}
