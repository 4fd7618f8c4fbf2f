using System.Collections;

namespace GatewayServer;

/// <summary>
/// A response body backed by a region of a file. Servers that recognise it send the region with
/// <c>sendfile</c>; anything else may simply enumerate it, which reads the file in blocks.
/// </summary>
public sealed class FileBody : IEnumerable<ReadOnlyMemory<byte>>, IDisposable
{
    private const int BlockSize = 64 * 1024;

    /// <summary>Wraps a region of <paramref name="file"/>, which the body then owns.</summary>
    public FileBody(FileStream file, long offset = 0, long? length = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        long available = Math.Max(0, file.Length - offset);
        if (length is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }

        File = file;
        Offset = offset;
        Length = Math.Min(length ?? available, available);
    }

    /// <summary>The file being sent.</summary>
    public FileStream File { get; }

    /// <summary>Where the region starts.</summary>
    public long Offset { get; }

    /// <summary>How many bytes the region holds.</summary>
    public long Length { get; }

    /// <summary>Opens <paramref name="path"/> for reading and wraps all of it.</summary>
    public static FileBody FromPath(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1));

    /// <summary>Reads the region in blocks; used when the server cannot send the file directly.</summary>
    public IEnumerator<ReadOnlyMemory<byte>> GetEnumerator()
    {
        var buffer = new byte[(int)Math.Min(BlockSize, Math.Max(1, Length))];
        long position = Offset;
        long remaining = Length;
        while (remaining > 0)
        {
            int read = RandomAccess.Read(File.SafeFileHandle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, remaining)), position);
            if (read == 0)
            {
                yield break;
            }

            position += read;
            remaining -= read;
            yield return buffer.AsMemory(0, read);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Closes the file.</summary>
    public void Dispose() => File.Dispose();
}
