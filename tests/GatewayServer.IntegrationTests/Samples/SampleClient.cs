using System.Security.Cryptography;

namespace GatewayServer.IntegrationTests.Samples;

/// <summary>
/// An <see cref="HttpClient"/> for one server, for the sample tests that move large bodies or read
/// a response while it is still being produced (the raw connection reads whole responses).
/// </summary>
public static class SampleClient
{
    public static HttpClient For(int port, TimeSpan? timeout = null) => new(new SocketsHttpHandler { UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
    };

    /// <summary>Reads <paramref name="body"/> to its end through one buffer, hashing it: the body is never held in memory.</summary>
    public static async Task<(long Length, string Sha256)> HashAsync(Stream body, CancellationToken cancellation = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[256 * 1024];
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellation)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }

        return (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>Reads from <paramref name="body"/> until what was read contains <paramref name="marker"/>; returns all of it.</summary>
    public static async Task<string> ReadUntilAsync(Stream body, string marker, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var text = new System.Text.StringBuilder();
        byte[] buffer = new byte[4096];
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            int read = await body.ReadAsync(buffer, cancel.Token);
            if (read == 0)
            {
                throw new EndOfStreamException($"the body ended before \"{marker}\"; got: {text}");
            }

            text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
