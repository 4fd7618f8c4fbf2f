namespace GatewayServer.IntegrationTests.Conformance;

/// <summary>
/// Limits against a server started with --limit-request-line 64, --limit-request-fields 5,
/// --limit-request-field-size 64 and --limit-request-body 16.
/// </summary>
public sealed class LimitConformanceTests(SmallLimitsServerFixture server) : IClassFixture<SmallLimitsServerFixture>
{
    private const string H = "Host: example.com\r\n";
    private const string S = ConformanceRunner.Smuggled;

    public static readonly ConformanceCase[] Cases =
    [
        new("request line at the limit", "GET /" + new string('a', 64 - 14) + " HTTP/1.1\r\n" + H + "\r\n", [200], Closes: false),
        new("request line over the limit", "GET /" + new string('a', 65 - 14) + " HTTP/1.1\r\n" + H + "\r\n" + S, [414], Closes: true),
        new("endless request line", "GET /" + new string('a', 4000), [414], Closes: true),
        new("header field at the limit", "GET / HTTP/1.1\r\n" + H + "X: " + new string('v', 61) + "\r\n\r\n", [200], Closes: false),
        new("header field over the limit", "GET / HTTP/1.1\r\n" + H + "X: " + new string('v', 62) + "\r\n\r\n" + S, [431], Closes: true),
        new("fields at the limit", "GET / HTTP/1.1\r\n" + H + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", [200], Closes: false),
        new("one field over the limit", "GET / HTTP/1.1\r\n" + H + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n" + S, [431], Closes: true),
        new("body at the limit", "POST / HTTP/1.1\r\n" + H + "Content-Length: 16\r\n\r\n0123456789abcdef", [200], Closes: false) { EchoBody = "0123456789abcdef" },
        new("Content-Length over the body limit", "POST / HTTP/1.1\r\n" + H + "Content-Length: 17\r\n\r\n0123456789abcdefg" + S, [413], Closes: true),
        new("huge Content-Length over the body limit", "POST / HTTP/1.1\r\n" + H + "Content-Length: 9223372036854775807\r\n\r\n" + S, [413], Closes: true),
        new("chunked body at the limit", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n8\r\n89abcdef\r\n0\r\n\r\n", [200], Closes: false) { EchoBody = "0123456789abcdef" },
        new("chunked body over the limit", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n9\r\n89abcdefg\r\n0\r\n\r\n" + S, [413], Closes: true),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (ConformanceCase testCase in Cases)
        {
            data.Add(testCase.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public Task Request_over_a_limit_is_refused_and_one_at_the_limit_is_served(string name) =>
        ConformanceRunner.RunAllWaysAsync(server.Port, Cases.Single(c => c.Name == name));
}
