using System.Text;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Serving;

public sealed class RequestBodyTests
{
    private static readonly string Target = RepositoryLayout.Sample("EchoApp") + ":App";

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8 * 1024 * 1024)]
    public async Task Content_length_upload_reaches_the_app_intact(int size)
    {
        byte[] body = Payload(size);
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync([.. Encoding.ASCII.GetBytes($"POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: {size}\r\n\r\n"), .. body]);
        RawResponse response = await connection.ReadResponseAsync();

        response.Status.Should().Be(200);
        EchoedRequest echo = EchoedRequest.Parse(response);
        echo.Body.Length.Should().Be(size);
        echo.Body.SequenceEqual(body).Should().BeTrue("the body must arrive byte for byte");
        echo.Headers.Should().ContainEquivalentOf(new KeyValuePair<string, string>("content-length", size.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8 * 1024 * 1024)]
    public async Task Chunked_upload_reaches_the_app_intact_and_dechunked(int size)
    {
        byte[] body = Payload(size);
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync(Chunked(body, chunkSize: 100_000));
        RawResponse response = await connection.ReadResponseAsync();

        response.Status.Should().Be(200);
        EchoedRequest echo = EchoedRequest.Parse(response);
        echo.Body.Length.Should().Be(size);
        echo.Body.SequenceEqual(body).Should().BeTrue("the body must arrive byte for byte, without chunk framing");

        // The connection is still in step: the next request is parsed where the chunked body ended.
        await connection.SendAsync("GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
        EchoedRequest.Parse(await connection.ReadResponseAsync()).Target.Should().Be("/next");
    }

    private static byte[] Payload(int size)
    {
        byte[] bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Chunked(byte[] body, int chunkSize)
    {
        var wire = new MemoryStream();
        wire.Write(Encoding.ASCII.GetBytes("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"));
        for (int offset = 0; offset < body.Length; offset += chunkSize)
        {
            int length = Math.Min(chunkSize, body.Length - offset);
            wire.Write(Encoding.ASCII.GetBytes($"{length:x}\r\n"));
            wire.Write(body, offset, length);
            wire.Write("\r\n"u8);
        }

        wire.Write("0\r\n\r\n"u8);
        return wire.ToArray();
    }
}
