using System.Globalization;
using GatewayServer;

namespace StreamingApp;

/// <summary>
/// Sends a file with <c>gateway.file_wrapper</c>, so the server can use sendfile. The contract
/// leaves <c>Range</c> to the app: a single <c>bytes=</c> range gets a 206 with that region only
/// (RFC 9110 section 14); several ranges are answered with the whole file, which the RFC allows.
/// </summary>
internal static class FileResponse
{
    public static IEnumerable<ReadOnlyMemory<byte>> Create(GeneratedFile file, IDictionary<string, object?> environ, StartResponse startResponse)
    {
        var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        long length = stream.Length;
        string? range = environ.TryGetValue("HTTP_RANGE", out object? value) ? value as string : null;
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Content-Type", "application/octet-stream"),
            new("Accept-Ranges", "bytes"),
            new("X-Content-SHA256", file.Sha256),
        };

        long offset = 0;
        long count = length;
        string status = "200 OK";
        switch (range is null ? RangeKind.Whole : ParseRange(range, length, out offset, out count))
        {
            case RangeKind.Unsatisfiable:
                stream.Dispose();
                var unsatisfiable = new KeyValuePair<string, string>[] { new("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes */{length}")) };
                return App.Text("416 Range Not Satisfiable", "range not satisfiable\n", (s, _, e) => startResponse(s, unsatisfiable, e));
            case RangeKind.Partial:
                status = "206 Partial Content";
                headers.Add(new("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes {offset}-{offset + count - 1}/{length}")));
                break;
        }

        startResponse(status, headers);
        var wrap = (FileWrapper)environ[EnvironKeys.FileWrapper]!;
        return wrap(stream, offset, count);
    }

    private enum RangeKind
    {
        Whole,
        Partial,
        Unsatisfiable,
    }

    /// <summary>Parses <c>bytes=a-b</c>, <c>bytes=a-</c> and <c>bytes=-n</c> against a file of <paramref name="length"/> bytes.</summary>
    private static RangeKind ParseRange(string header, long length, out long offset, out long count)
    {
        offset = 0;
        count = length;
        ReadOnlySpan<char> spec = header.AsSpan().Trim();
        if (!spec.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || spec.Contains(','))
        {
            // Another unit, or several ranges: RFC 9110 section 14.2 lets a server ignore Range.
            return RangeKind.Whole;
        }

        spec = spec[6..];
        int dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return RangeKind.Unsatisfiable;
        }

        bool hasFirst = long.TryParse(spec[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out long first);
        bool hasLast = long.TryParse(spec[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out long last);
        if (hasFirst)
        {
            if (first >= length || (hasLast && last < first))
            {
                return RangeKind.Unsatisfiable;
            }

            offset = first;
            count = (hasLast ? Math.Min(last, length - 1) : length - 1) - first + 1;
            return RangeKind.Partial;
        }

        if (hasLast && last > 0)
        {
            count = Math.Min(last, length);
            offset = length - count;
            return RangeKind.Partial;
        }

        return RangeKind.Unsatisfiable;
    }
}
