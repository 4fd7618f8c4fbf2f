namespace GatewayServer.Tests.Http;

/// <summary>The request heads the parser tests (and the randomized tests' seeds) share.</summary>
internal static class RequestCorpus
{
    private const string H = "Host: example.com\r\n";

    /// <summary>Heads the parser accepts: (description, bytes).</summary>
    public static readonly (string Name, string Request)[] Valid =
    [
        ("simple GET", "GET / HTTP/1.1\r\n" + H + "\r\n"),
        ("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n"),
        ("HTTP/1.0 with keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
        ("query string", "GET /a/b?x=1&y=%20 HTTP/1.1\r\n" + H + "\r\n"),
        ("absolute-form", "GET http://example.com:8080/p?q HTTP/1.1\r\n" + H + "\r\n"),
        ("absolute-form without path", "GET http://example.com HTTP/1.1\r\n" + H + "\r\n"),
        ("asterisk-form for OPTIONS", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n"),
        ("authority-form for CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
        ("extension method", "PURGE /x HTTP/1.1\r\n" + H + "\r\n"),
        ("lower-case method token", "get / HTTP/1.1\r\n" + H + "\r\n"),
        ("HTTP/1.9 served as 1.1", "GET / HTTP/1.9\r\n" + H + "\r\n"),
        ("leading empty lines", "\r\n\r\nGET / HTTP/1.1\r\n" + H + "\r\n"),
        ("OWS around value", "GET / HTTP/1.1\r\n" + H + "X-A: \t v a l \t \r\n\r\n"),
        ("empty value", "GET / HTTP/1.1\r\n" + H + "X-Empty:\r\n\r\n"),
        ("obs-text in value", "GET / HTTP/1.1\r\n" + H + "X-Latin: caf\u00e9\r\n\r\n"),
        ("empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n"),
        ("Host with port", "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"),
        ("IPv6 Host", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"),
        ("IPv4 Host", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
        ("Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\n"),
        ("Content-Length zero", "POST / HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n"),
        ("Content-Length with leading zeros", "POST / HTTP/1.1\r\n" + H + "Content-Length: 007\r\n\r\n"),
        ("identical duplicate Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n"),
        ("chunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"),
        ("chunked in upper case", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: CHUNKED\r\n\r\n"),
        ("chunked with empty list elements", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: ,chunked,\r\n\r\n"),
        ("Expect 100-continue", "POST / HTTP/1.1\r\n" + H + "Expect: 100-Continue\r\nContent-Length: 1\r\n\r\n"),
        ("Connection close", "GET / HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n"),
        ("underscore header", "GET / HTTP/1.1\r\n" + H + "X_Forwarded_For: 1.2.3.4\r\n\r\n"),
        ("header name longer than 32 bytes", "GET / HTTP/1.1\r\n" + H + "X-A-Header-Name-Longer-Than-32-Bytes: v\r\n\r\n"),
        ("method longer than 32 bytes", "AN-EXTENSION-METHOD-LONGER-THAN-32-BYTES / HTTP/1.1\r\n" + H + "\r\n"),
        ("many headers", "GET / HTTP/1.1\r\n" + H + string.Concat(Enumerable.Range(0, 50).Select(i => $"X-{i}: {i}\r\n")) + "\r\n"),
    ];

    /// <summary>Heads the parser refuses: (description, bytes, status).</summary>
    public static readonly (string Name, string Request, int Status)[] Invalid =
    [
        ("bare LF after the request line", "GET / HTTP/1.1\n" + H + "\r\n", 400),
        ("bare LF ending the head", "GET / HTTP/1.1\r\n" + H + "\n", 400),
        ("bare CR in the request line", "GET /\r HTTP/1.1\r\n" + H + "\r\n", 400),
        ("bare CR in a value", "GET / HTTP/1.1\r\n" + H + "X: a\rb\r\n\r\n", 400),
        ("NUL in a value", "GET / HTTP/1.1\r\n" + H + "X: a\0b\r\n\r\n", 400),
        ("DEL in a value", "GET / HTTP/1.1\r\n" + H + "X: a\u007fb\r\n\r\n", 400),
        ("vertical tab in a value", "GET / HTTP/1.1\r\n" + H + "X: a\vb\r\n\r\n", 400),
        ("two spaces in the request line", "GET  / HTTP/1.1\r\n" + H + "\r\n", 400),
        ("tab in the request line", "GET\t/ HTTP/1.1\r\n" + H + "\r\n", 400),
        ("missing version", "GET /\r\n" + H + "\r\n", 400),
        ("missing target", "GET HTTP/1.1\r\n" + H + "\r\n", 400),
        ("lower-case version", "GET / http/1.1\r\n" + H + "\r\n", 400),
        ("two-digit minor", "GET / HTTP/1.10\r\n" + H + "\r\n", 400),
        ("trailing space after version", "GET / HTTP/1.1 \r\n" + H + "\r\n", 400),
        ("HTTP/2.0", "GET / HTTP/2.0\r\n" + H + "\r\n", 505),
        ("HTTP/0.9", "GET / HTTP/0.9\r\n" + H + "\r\n", 505),
        ("separator in method", "GE(T / HTTP/1.1\r\n" + H + "\r\n", 400),
        ("empty method", " / HTTP/1.1\r\n" + H + "\r\n", 400),
        ("fragment in target", "GET /a#b HTTP/1.1\r\n" + H + "\r\n", 400),
        ("asterisk for GET", "GET * HTTP/1.1\r\n" + H + "\r\n", 400),
        ("authority-form for GET", "GET example.com:80 HTTP/1.1\r\n" + H + "\r\n", 400),
        ("CONNECT without port", "CONNECT example.com HTTP/1.1\r\n" + H + "\r\n", 400),
        ("CONNECT with origin-form", "CONNECT / HTTP/1.1\r\n" + H + "\r\n", 400),
        ("absolute-form with userinfo", "GET http://user@example.com/ HTTP/1.1\r\n" + H + "\r\n", 400),
        ("absolute-form with empty host", "GET http:///x HTTP/1.1\r\n" + H + "\r\n", 400),
        ("missing Host on 1.1", "GET / HTTP/1.1\r\n\r\n", 400),
        ("missing Host with absolute-form", "GET http://example.com/ HTTP/1.1\r\n\r\n", 400),
        ("two Host headers", "GET / HTTP/1.1\r\n" + H + H + "\r\n", 400),
        ("Host with userinfo", "GET / HTTP/1.1\r\nHost: user@example.com\r\n\r\n", 400),
        ("Host with a path", "GET / HTTP/1.1\r\nHost: example.com/x\r\n\r\n", 400),
        ("Host with a space", "GET / HTTP/1.1\r\nHost: exa mple.com\r\n\r\n", 400),
        ("Host with two ports", "GET / HTTP/1.1\r\nHost: example.com:80:80\r\n\r\n", 400),
        ("Host with a letter port", "GET / HTTP/1.1\r\nHost: example.com:http\r\n\r\n", 400),
        ("Host with an open bracket", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),
        ("Host with bad percent-encoding", "GET / HTTP/1.1\r\nHost: ex%zzample\r\n\r\n", 400),
        ("whitespace before colon", "GET / HTTP/1.1\r\n" + H + "Content-Length : 5\r\n\r\n", 400),
        ("tab before colon", "GET / HTTP/1.1\r\n" + H + "X\t: 5\r\n\r\n", 400),
        ("empty header name", "GET / HTTP/1.1\r\n" + H + ": x\r\n\r\n", 400),
        ("header without colon", "GET / HTTP/1.1\r\n" + H + "NoColon\r\n\r\n", 400),
        ("separator in header name", "GET / HTTP/1.1\r\n" + H + "X(y): 1\r\n\r\n", 400),
        ("separator past 32 bytes of header name", "GET / HTTP/1.1\r\n" + H + "X-A-Header-Name-Longer-Than-32(y): 1\r\n\r\n", 400),
        ("obs-fold", "GET / HTTP/1.1\r\n" + H + "X: a\r\n b\r\n\r\n", 400),
        ("obs-fold with a tab", "GET / HTTP/1.1\r\n" + H + "X: a\r\n\tb\r\n\r\n", 400),
        ("whitespace before the first header", "GET / HTTP/1.1\r\n " + H + "\r\n", 400),
        ("Content-Length with a sign", "POST / HTTP/1.1\r\n" + H + "Content-Length: +5\r\n\r\n", 400),
        ("negative Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", 400),
        ("hex Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 0x5\r\n\r\n", 400),
        ("empty Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length:\r\n\r\n", 400),
        ("Content-Length list", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5, 5\r\n\r\n", 400),
        ("Content-Length with inner space", "POST / HTTP/1.1\r\n" + H + "Content-Length: 1 0\r\n\r\n", 400),
        ("overflowing Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 9223372036854775808\r\n\r\n", 400),
        ("huge Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 99999999999999999999999\r\n\r\n", 400),
        ("differing Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400),
        ("Transfer-Encoding with Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("Content-Length after Transfer-Encoding", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400),
        ("Transfer-Encoding on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("chunked twice", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, chunked\r\n\r\n", 400),
        ("chunked in two headers", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("chunked not last", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400),
        ("identity", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: identity\r\n\r\n", 400),
        ("misspelled chunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunk\r\n\r\n", 400),
        ("chunked with trailing junk", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked x\r\n\r\n", 400),
        ("empty Transfer-Encoding", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding:\r\n\r\n", 400),
        ("gzip then chunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("unknown Expect", "POST / HTTP/1.1\r\n" + H + "Expect: 200-ok\r\n\r\n", 417),
        ("Content-Length above the body limit", "POST / HTTP/1.1\r\n" + H + "Content-Length: 1000001\r\n\r\n", 413),
        ("request line too long", "GET /" + new string('a', 5000) + " HTTP/1.1\r\n" + H + "\r\n", 414),
        ("header field too long", "GET / HTTP/1.1\r\n" + H + "X: " + new string('a', 9000) + "\r\n\r\n", 431),
        ("too many headers", "GET / HTTP/1.1\r\n" + H + string.Concat(Enumerable.Range(0, 101).Select(i => $"X-{i}: {i}\r\n")) + "\r\n", 431),
        ("too many leading empty lines", "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n" + H + "\r\n", 400),
    ];

    /// <summary>The limits the tables assume: defaults, with a body limit for the 413 case.</summary>
    public static GatewayServer.Http.HttpLimits Limits { get; } = new() { MaxBodySize = 1_000_000 };

    public static TheoryData<string> ValidNames() => Names(Valid.Select(v => v.Name));

    public static TheoryData<string> InvalidNames() => Names(Invalid.Select(v => v.Name));

    private static TheoryData<string> Names(IEnumerable<string> names)
    {
        var data = new TheoryData<string>();
        foreach (string name in names)
        {
            data.Add(name);
        }

        return data;
    }
}
