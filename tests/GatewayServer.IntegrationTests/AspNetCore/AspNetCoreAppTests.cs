using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.AspNetCore;

/// <summary>An ordinary ASP.NET Core app, served by gwserve without a changed line: what it configures works as under Kestrel.</summary>
public sealed class AspNetCoreAppTests : IClassFixture<AspNetCoreAppServer>
{
    private readonly AspNetCoreAppServer _app;

    public AspNetCoreAppTests(AspNetCoreAppServer app)
    {
        _app = app;
    }

    [Fact]
    public async Task A_minimal_API_endpoint_answers_through_gwserve()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_app.Port);
        await connection.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        response.StatusLine.Should().Be("HTTP/1.1 200 OK");
        response.Header("Server").Should().Be("gwserve");
        response.Header("Content-Type").Should().Be("text/plain; charset=utf-8");
        response.BodyText.Should().Be("Hello World!");

        await connection.SendAsync("GET /json HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse json = await connection.ReadResponseAsync();
        json.Header("Content-Type").Should().StartWith("application/json");
        json.BodyText.Should().Be("{\"message\":\"Hello, World!\"}", "the keep-alive connection carries a second request");
    }

    [Fact]
    public async Task Controllers_are_discovered_in_the_app_assembly()
    {
        using HttpClient client = SampleClient.For(_app.Port);

        (await client.GetStringAsync("/api/items")).Should().Be("[{\"id\":1,\"name\":\"first\"},{\"id\":2,\"name\":\"second\"}]");
        (await client.GetStringAsync("/api/items/2")).Should().Be("{\"id\":2,\"name\":\"second\"}");
        using HttpResponseMessage missing = await client.GetAsync("/api/items/99");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", "ProblemDetails are configured");
    }

    [Fact]
    public async Task Configuration_comes_from_appsettings_json_in_the_content_root_and_the_app_is_named_after_its_assembly()
    {
        using HttpClient client = SampleClient.For(_app.Port);

        (await client.GetStringAsync("/config")).Should().Be("hello from appsettings.json");
        using JsonDocument environment = JsonDocument.Parse(await client.GetStringAsync("/environment"));
        environment.RootElement.GetProperty("applicationName").GetString().Should().Be("AspNetCoreApp");
        environment.RootElement.GetProperty("environmentName").GetString().Should().Be("Production");
        environment.RootElement.GetProperty("contentRootPath").GetString().Should().Be(AspNetCoreAppServer.ContentRoot);
    }

    [Fact]
    public async Task Static_files_come_from_wwwroot_with_ETag_304_and_ranges()
    {
        using HttpClient client = SampleClient.For(_app.Port);

        using HttpResponseMessage file = await client.GetAsync("/hello.txt");
        file.StatusCode.Should().Be(HttpStatusCode.OK);
        (await file.Content.ReadAsStringAsync()).Should().Be("static hello\n");
        file.Content.Headers.ContentLength.Should().Be(13);
        EntityTagHeaderValue etag = file.Headers.ETag!;
        etag.Should().NotBeNull();

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/hello.txt");
        conditional.Headers.IfNoneMatch.Add(etag);
        using HttpResponseMessage notModified = await client.SendAsync(conditional);
        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await notModified.Content.ReadAsByteArrayAsync()).Should().BeEmpty();

        using var ranged = new HttpRequestMessage(HttpMethod.Get, "/hello.txt");
        ranged.Headers.Range = new RangeHeaderValue(7, 11);
        using HttpResponseMessage partial = await client.SendAsync(ranged);
        partial.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        partial.Content.Headers.ContentRange!.ToString().Should().Be("bytes 7-11/13");
        (await partial.Content.ReadAsStringAsync()).Should().Be("hello");
    }

    [Fact]
    public async Task Results_File_sends_the_whole_file_with_its_length()
    {
        using HttpClient client = SampleClient.For(_app.Port);
        byte[] expected = await File.ReadAllBytesAsync(Path.Combine(AspNetCoreAppServer.ContentRoot, "files", "report.txt"));

        using HttpResponseMessage response = await client.GetAsync("/file");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().Be(expected.Length);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(expected);
    }

    [Fact]
    public async Task An_uploaded_IFormFile_reaches_the_endpoint()
    {
        using HttpClient client = SampleClient.For(_app.Port);
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent("uploaded text"u8.ToArray()), "file", "note.txt");

        using HttpResponseMessage response = await client.PostAsync("/upload", form);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using JsonDocument result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        result.RootElement.GetProperty("fileName").GetString().Should().Be("note.txt");
        result.RootElement.GetProperty("length").GetInt64().Should().Be(13);
        result.RootElement.GetProperty("content").GetString().Should().Be("uploaded text");
    }

    [Fact]
    public async Task A_body_over_RequestSizeLimit_is_answered_413_and_one_under_it_is_read()
    {
        using RawHttpConnection small = await RawHttpConnection.OpenAsync(_app.Port);
        await small.SendAsync("POST /api/items/limited HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
        RawResponse accepted = await small.ReadResponseAsync();
        accepted.Status.Should().Be(200);
        accepted.BodyText.Should().Be("5");

        using RawHttpConnection large = await RawHttpConnection.OpenAsync(_app.Port);
        await large.SendAsync("POST /api/items/limited HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 2048\r\n\r\n" + new string('x', 2048));
        RawResponse refused = await large.ReadResponseAsync();
        refused.Status.Should().Be(413);
        refused.ClosesConnection.Should().BeTrue("the unread body leaves the connection unusable");
    }

    [Fact]
    public async Task An_exception_in_an_endpoint_is_answered_500_and_logged_and_the_worker_serves_on()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_app.Port);
        await connection.SendAsync("GET /throw HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        response.Status.Should().Be(500);
        response.Body.Should().BeEmpty();
        await _app.Server.WaitForLineAsync(l => l.Contains("fixture endpoint failure", StringComparison.Ordinal));

        await connection.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await connection.ReadResponseAsync()).BodyText.Should().Be("Hello World!");
    }

    [Fact]
    public async Task Server_sent_events_reach_the_client_at_each_flush_and_a_client_that_leaves_aborts_the_request()
    {
        using HttpClient client = SampleClient.For(_app.Port);
        using (HttpResponseMessage response = await client.GetAsync("/sse", HttpCompletionOption.ResponseHeadersRead))
        {
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
            response.Headers.TransferEncodingChunked.Should().BeTrue();
            Stream body = await response.Content.ReadAsStreamAsync();
            string first = await SampleClient.ReadUntilAsync(body, "\n\n", TimeSpan.FromSeconds(10));
            first.Should().Be("data: first\n\n", "the event was flushed while the request is still open");
        }

        client.Dispose();
        await _app.Server.WaitForLineAsync(l => l.Contains("sse request aborted", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Trailers_follow_a_chunked_body()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_app.Port);
        await connection.SendAsync("GET /trailers HTTP/1.1\r\nHost: localhost\r\nTE: trailers\r\nConnection: close\r\n\r\n");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        string raw = System.Text.Encoding.Latin1.GetString(await connection.ReadToEndAsync(timeout.Token));

        raw.Should().Contain("Transfer-Encoding: chunked");
        raw.Should().Contain("Trailer: X-Checksum");
        raw.Should().EndWith("0\r\nX-Checksum: abc123\r\n\r\n");
    }

    [Fact]
    public async Task Connection_info_names_the_client_and_the_local_endpoint()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_app.Port);
        await connection.SendAsync("GET /connection?a=1 HTTP/1.1\r\nHost: example.test\r\n\r\n");
        using JsonDocument info = JsonDocument.Parse((await connection.ReadResponseAsync()).Body);

        JsonElement root = info.RootElement;
        root.GetProperty("remoteIp").GetString().Should().Be("127.0.0.1");
        root.GetProperty("remotePort").GetInt32().Should().Be(connection.LocalPort);
        root.GetProperty("localIp").GetString().Should().Be("127.0.0.1");
        root.GetProperty("localPort").GetInt32().Should().Be(_app.Port);
        root.GetProperty("scheme").GetString().Should().Be("http");
        root.GetProperty("host").GetString().Should().Be("example.test");
        root.GetProperty("path").GetString().Should().Be("/connection");
        root.GetProperty("query").GetString().Should().Be("?a=1");
    }

    [Fact]
    public async Task A_trusted_proxy_sets_the_client_scheme_and_path_base()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_app.Port);
        await connection.SendAsync("GET /connection HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Prefix: /shop\r\n\r\n");
        using JsonDocument info = JsonDocument.Parse((await connection.ReadResponseAsync()).Body);

        JsonElement root = info.RootElement;
        root.GetProperty("remoteIp").GetString().Should().Be("203.0.113.7", "127.0.0.1 is a trusted proxy by default");
        root.GetProperty("scheme").GetString().Should().Be("https");
        root.GetProperty("pathBase").GetString().Should().Be("/shop");
    }

    [Fact]
    public async Task Script_name_moves_from_Path_to_PathBase_as_for_the_other_app_models_under_a_proxys_prefix_too()
    {
        using GwserveProcess server = await AspNetCoreAppServer.StartAsync(1, "--script-name", "/mount", "--forwarded-headers", "x-forwarded-prefix");
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("GET /mount/connection HTTP/1.1\r\nHost: localhost\r\n\r\n");
        using JsonDocument mounted = JsonDocument.Parse((await connection.ReadResponseAsync()).Body);
        mounted.RootElement.GetProperty("pathBase").GetString().Should().Be("/mount");
        mounted.RootElement.GetProperty("path").GetString().Should().Be("/connection", "the endpoint is routed by the path under the mount");

        await connection.SendAsync("GET /mount/connection HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Prefix: /shop\r\n\r\n");
        using JsonDocument proxied = JsonDocument.Parse((await connection.ReadResponseAsync()).Body);
        proxied.RootElement.GetProperty("pathBase").GetString().Should().Be("/shop/mount", "the proxy's prefix comes before the mount, as SCRIPT_NAME does");
        proxied.RootElement.GetProperty("path").GetString().Should().Be("/connection");
    }

    [Fact]
    public async Task The_app_logs_through_ILogger_reach_gwserve_output_and_its_hosted_service_runs_in_every_worker()
    {
        using HttpClient client = SampleClient.For(_app.Port);
        string marker = Guid.NewGuid().ToString("N");

        (await client.GetStringAsync($"/log/{marker}")).Should().Be("logged");

        await _app.Server.WaitForLineAsync(l => l.Contains($"fixture log line {marker}", StringComparison.Ordinal));
        IReadOnlyList<int> workers = _app.Server.WorkerPids();
        workers.Should().HaveCount(2);
        foreach (int pid in workers)
        {
            await _app.Server.WaitForLineAsync(l => l.Contains($"hosted service started in {pid}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Both_workers_serve_the_app()
    {
        var seen = new HashSet<string>();
        var open = new List<RawHttpConnection>();
        try
        {
            // Held open, connections make a worker look busier than its sibling, so the next goes there.
            for (int i = 0; i < 40 && seen.Count < 2; i++)
            {
                RawHttpConnection connection = await RawHttpConnection.OpenAsync(_app.Port);
                open.Add(connection);
                await connection.SendAsync("GET /pid HTTP/1.1\r\nHost: localhost\r\n\r\n");
                seen.Add((await connection.ReadResponseAsync()).BodyText);
            }
        }
        finally
        {
            open.ForEach(c => c.Dispose());
        }

        seen.Should().BeEquivalentTo(_app.Server.WorkerPids().Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
