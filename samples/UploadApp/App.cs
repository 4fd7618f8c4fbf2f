using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GatewayServer;

namespace UploadApp;

/// <summary>
/// <c>POST /upload</c> streams the request body to a temporary file through one 64 KiB buffer,
/// hashing it on the way, and answers <c>{"bytes":N,"sha256":"..."}</c>: however large the upload,
/// the app holds no more than the buffer. (The file is deleted when the response is done; a real
/// app would move it somewhere.) Serve it as <c>UploadApp.dll:App</c>, or
/// <c>UploadApp.dll:App("/some/dir")</c> to choose where the temporary files go.
/// </summary>
public sealed class App : IGatewayApplication
{
    private const int BufferSize = 64 * 1024;
    private static readonly KeyValuePair<string, string>[] JsonHeaders = [new("Content-Type", "application/json")];
    private static readonly KeyValuePair<string, string>[] TextHeaders = [new("Content-Type", "text/plain; charset=utf-8")];

    private readonly string _directory;

    public App()
        : this(Path.GetTempPath())
    {
    }

    public App(string directory)
    {
        _directory = directory;
    }

    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        if ((string)environ[EnvironKeys.PathInfo]! != "/upload")
        {
            startResponse("404 Not Found", TextHeaders);
            return [Encoding.UTF8.GetBytes("POST a body to /upload\n")];
        }

        if ((string)environ[EnvironKeys.RequestMethod]! != "POST")
        {
            startResponse("405 Method Not Allowed", [new("Allow", "POST"), .. TextHeaders]);
            return [];
        }

        (long bytes, string sha256) = Save((Stream)environ[EnvironKeys.Input]!);
        startResponse("200 OK", JsonHeaders);
        return [Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"bytes\":{bytes},\"sha256\":\"{sha256}\"}}"))];
    }

    private (long Bytes, string Sha256) Save(Stream input)
    {
        Directory.CreateDirectory(_directory);
        string path = Path.Combine(_directory, $"upload-{Guid.NewGuid():N}.tmp");
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            // bufferSize 0: the FileStream adds no buffer of its own; DeleteOnClose cleans up.
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose);
            long total = 0;
            int read;
            while ((read = input.Read(buffer, 0, BufferSize)) > 0)
            {
                file.Write(buffer, 0, read);
                hash.AppendData(buffer, 0, read);
                total += read;
            }

            return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
