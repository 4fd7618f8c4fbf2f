namespace StreamingApp;

/// <summary>A file on disk and the SHA-256 of all of it.</summary>
internal sealed record GeneratedFile(string Path, string Sha256);
