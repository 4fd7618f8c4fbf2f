using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace StreamingApp;

/// <summary>
/// Generated files of whole MiB in one directory, made on first use (written under a temporary
/// name, then renamed, so a concurrent request never sees half a file) with their SHA-256.
/// </summary>
internal sealed class GeneratedFiles
{
    private readonly string _directory;
    private readonly ConcurrentDictionary<long, Lazy<GeneratedFile>> _files = new();

    public GeneratedFiles(string directory)
    {
        _directory = directory;
    }

    public GeneratedFile Get(long megabytes) =>
        _files.GetOrAdd(megabytes, mb => new Lazy<GeneratedFile>(() => Create(mb))).Value;

    private GeneratedFile Create(long megabytes)
    {
        Directory.CreateDirectory(_directory);
        string path = Path.Combine(_directory, $"{megabytes}mb.bin");
        string hashPath = path + ".sha256";
        if (File.Exists(path) && File.Exists(hashPath))
        {
            return new GeneratedFile(path, File.ReadAllText(hashPath).Trim());
        }

        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] block = new byte[GeneratedData.BlockSize];
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            for (long index = 0; index < megabytes * 16; index++)
            {
                GeneratedData.Fill(block, index);
                hash.AppendData(block);
                file.Write(block);
            }
        }

        string sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        File.WriteAllText(hashPath, sha256);
        File.Move(temporary, path, overwrite: true);
        return new GeneratedFile(path, sha256);
    }
}
