using GatewayServer.Engine;
using GatewayServer.Transport;

namespace GatewayServer.Tests.Engine;

public sealed class ForwardedHeaderResolverTests
{
    private const ForwardedHeaders All = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost
        | ForwardedHeaders.XForwardedPrefix | ForwardedHeaders.Forwarded;

    private static readonly AddressAllowList Loopback = AddressAllowList.Parse("127.0.0.1,::1");

    [Theory]
    [InlineData("203.0.113.7", "127.0.0.1,::1", "203.0.113.7")]
    [InlineData("198.51.100.1, 203.0.113.7", "127.0.0.1,::1", "203.0.113.7")]
    [InlineData("198.51.100.1, 203.0.113.7, 10.0.0.2", "10.0.0.0/8", "203.0.113.7")]
    [InlineData("198.51.100.1, 203.0.113.7, 10.0.0.2, 10.0.0.3", "10.0.0.0/8", "203.0.113.7")]
    [InlineData("10.0.0.1, 10.0.0.2", "10.0.0.0/8", "10.0.0.1")]
    [InlineData("198.51.100.1, 203.0.113.7", "*", "198.51.100.1")]
    [InlineData("203.0.113.7:5678", "127.0.0.1", "203.0.113.7")]
    [InlineData("2001:db8::1", "127.0.0.1", "2001:db8::1")]
    [InlineData("[2001:db8::1]:5678", "127.0.0.1", "2001:db8::1")]
    [InlineData("unknown", "127.0.0.1", "unknown")]
    public void The_client_is_the_rightmost_address_that_is_not_a_trusted_proxy(string forwardedFor, string trusted, string client)
    {
        ForwardedRequest request = ForwardedHeaderResolver.Resolve(All, null, forwardedFor, null, null, null, AddressAllowList.Parse(trusted));

        request.ClientAddress.Should().Be(client);
    }

    [Fact]
    public void A_client_that_forges_X_Forwarded_For_is_still_found_behind_its_forgery()
    {
        // The client sent "X-Forwarded-For: 1.1.1.1"; nginx appended the address it saw.
        ForwardedRequest request = ForwardedHeaderResolver.Resolve(All, null, "1.1.1.1, 203.0.113.7", null, null, null, Loopback);

        request.ClientAddress.Should().Be("203.0.113.7");
    }

    [Fact]
    public void X_Forwarded_Proto_Host_and_Prefix_give_scheme_host_and_prefix()
    {
        ForwardedRequest request = ForwardedHeaderResolver.Resolve(All, null, "203.0.113.7", "HTTPS", "example.com:8443", "/app/", Loopback);

        request.Should().Be(new ForwardedRequest("203.0.113.7", null, "https", "example.com:8443", "/app"));
    }

    [Theory]
    [InlineData("https", "https")]
    [InlineData("http, https", "https")]
    [InlineData("ftp", null)]
    [InlineData("", null)]
    public void Only_http_and_https_are_schemes_and_the_nearest_proxy_says_which(string proto, string? scheme)
    {
        ForwardedHeaderResolver.Resolve(All, null, null, proto, null, null, Loopback).Scheme.Should().Be(scheme);
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("[2001:db8::1]:443", "[2001:db8::1]:443")]
    [InlineData("evil.com, example.com", "example.com")]
    [InlineData("exa mple.com", null)]
    [InlineData("user@example.com", null)]
    public void A_forwarded_host_must_be_a_valid_authority(string host, string? expected)
    {
        ForwardedHeaderResolver.Resolve(All, null, null, null, host, null, Loopback).Host.Should().Be(expected);
    }

    [Theory]
    [InlineData("/app", "/app")]
    [InlineData("/app/", "/app")]
    [InlineData("/", "")]
    [InlineData("app", null)]
    [InlineData("/app?x=1", null)]
    public void A_prefix_is_an_absolute_path_without_its_trailing_slash(string prefix, string? expected)
    {
        ForwardedHeaderResolver.Resolve(All, null, null, null, null, prefix, Loopback).Prefix.Should().Be(expected);
    }

    [Fact]
    public void Forwarded_names_the_client_with_its_scheme_and_host()
    {
        ForwardedRequest request = ForwardedHeaderResolver.Resolve(
            All,
            "for=192.0.2.60;proto=https;host=example.com;by=203.0.113.43", null, null, null, null, Loopback);

        request.Should().Be(new ForwardedRequest("192.0.2.60", null, "https", "example.com", null));
    }

    [Fact]
    public void Forwarded_is_walked_from_the_right_past_trusted_proxies()
    {
        ForwardedRequest request = ForwardedHeaderResolver.Resolve(
            All,
            "for=198.51.100.1;proto=http, for=\"[2001:db8:cafe::17]:4711\";proto=https;host=\"example.com\", for=10.0.0.2",
            null, null, null, null, AddressAllowList.Parse("10.0.0.0/8"));

        request.Should().Be(new ForwardedRequest("2001:db8:cafe::17", "4711", "https", "example.com", null));
    }

    [Fact]
    public void Forwarded_wins_over_the_X_Forwarded_headers_but_the_prefix_comes_from_X_Forwarded_Prefix()
    {
        ForwardedRequest request = ForwardedHeaderResolver.Resolve(
            All,
            "for=192.0.2.60", "203.0.113.7", "https", "other.example", "/app", Loopback);

        request.Should().Be(new ForwardedRequest("192.0.2.60", null, null, null, "/app"));
    }

    [Theory]
    [InlineData("for=\"unterminated")]
    [InlineData("for")]
    [InlineData("for=1.2.3.4 junk")]
    [InlineData("=1.2.3.4")]
    public void A_malformed_Forwarded_header_is_ignored_whole(string forwarded)
    {
        ForwardedRequest request = ForwardedHeaderResolver.Resolve(All, forwarded, "203.0.113.7", null, null, null, Loopback);

        request.ClientAddress.Should().Be("203.0.113.7");
    }

    [Fact]
    public void Forwarded_obfuscated_and_unknown_nodes_are_reported_as_given()
    {
        ForwardedHeaderResolver.Resolve(All, "for=_hidden, for=unknown", null, null, null, null, Loopback).ClientAddress.Should().Be("unknown");
        ForwardedHeaderResolver.Resolve(All, "for=\"_hidden:_port\"", null, null, null, null, Loopback).Should()
            .Be(new ForwardedRequest("_hidden", null, null, null, null));
    }

    [Fact]
    public void Forged_Forwarded_and_prefix_behind_a_proxy_that_sets_only_X_Forwarded_For_Proto_and_Host_change_nothing()
    {
        // What reached gwserve through docs/deploy/nginx.conf from a client at 127.0.0.2 (issue 15, finding 1).
        ForwardedRequest request = ForwardedHeaderResolver.Resolve(
            ForwardedHeaders.Default, "for=6.6.6.6;proto=https;host=evil.example", "127.0.0.2", "http", "localhost:8080", "//evil.example", Loopback);

        request.Should().Be(new ForwardedRequest("127.0.0.2", null, "http", "localhost:8080", null));
    }

    [Fact]
    public void A_header_not_named_in_forwarded_headers_is_ignored_even_alone()
    {
        ForwardedHeaderResolver.Resolve(ForwardedHeaders.XForwardedFor, "for=6.6.6.6", null, "https", "evil.example", "/evil", Loopback)
            .Should().Be(default(ForwardedRequest));
        ForwardedHeaderResolver.Resolve(ForwardedHeaders.None, null, "6.6.6.6", null, null, null, Loopback)
            .Should().Be(default(ForwardedRequest));
    }

    [Fact]
    public void Each_named_header_is_read_on_its_own()
    {
        ForwardedHeaderResolver.Resolve(ForwardedHeaders.XForwardedProto, null, "6.6.6.6", "https", "evil.example", null, Loopback)
            .Should().Be(new ForwardedRequest(null, null, "https", null, null));
        ForwardedHeaderResolver.Resolve(ForwardedHeaders.XForwardedPrefix, null, "6.6.6.6", null, null, "/app", Loopback)
            .Should().Be(new ForwardedRequest(null, null, null, null, "/app"));
        ForwardedHeaderResolver.Resolve(ForwardedHeaders.Forwarded, "for=192.0.2.60;proto=https", "6.6.6.6", null, null, null, Loopback)
            .Should().Be(new ForwardedRequest("192.0.2.60", null, "https", null, null));
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("///evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\evil.example")]
    [InlineData("/app\\x")]
    [InlineData("/..")]
    [InlineData("/.")]
    [InlineData("/app/../admin")]
    [InlineData("/app/./x")]
    [InlineData("/app//x")]
    [InlineData("/app\r\nSet-Cookie: a=b")]
    [InlineData("/app\tx")]
    [InlineData("/app\u0000")]
    [InlineData("/%2e%2e")]
    [InlineData("/app%2fx")]
    [InlineData("/%2F%2Fevil.example")]
    [InlineData("/app x")]
    [InlineData("/app#x")]
    [InlineData("/caf\u00e9")]
    [InlineData("https://evil.example/")]
    [InlineData("")]
    public void A_prefix_that_is_not_a_clean_absolute_path_is_ignored(string prefix)
    {
        ForwardedHeaderResolver.Resolve(All, null, null, null, null, prefix, Loopback).Prefix.Should().BeNull();
    }

    [Theory]
    [InlineData("/a/b/", "/a/b")]
    [InlineData("/v1.0", "/v1.0")]
    [InlineData("/a..b/~user", "/a..b/~user")]
    [InlineData("/x:y@z;p=1", "/x:y@z;p=1")]
    [InlineData("/evil, /app", "/app")]
    public void A_clean_prefix_is_kept_and_the_nearest_proxy_s_one_wins(string prefix, string expected)
    {
        ForwardedHeaderResolver.Resolve(All, null, null, null, null, prefix, Loopback).Prefix.Should().Be(expected);
    }

    [Theory]
    [InlineData("0x7f.0.0.1")]
    [InlineData("010.0.0.1")]
    [InlineData("127.1")]
    [InlineData("2130706433")]
    [InlineData("<script>")]
    [InlineData("_")]
    [InlineData("fe80::1%eth0")]
    public void An_X_Forwarded_For_node_in_no_standard_form_is_no_client_and_the_peer_stands(string node)
    {
        ForwardedHeaderResolver.Resolve(All, null, node, null, null, null, Loopback).ClientAddress.Should().BeNull();
        ForwardedHeaderResolver.Resolve(All, null, "203.0.113.7, " + node, null, null, null, Loopback).ClientAddress
            .Should().BeNull("a trusted proxy's address spelled another way is not skipped as trusted");
    }
}
