using GatewayServer.Engine;
using GatewayServer.Http.Response;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace GatewayServer.AspNetCore;

/// <summary>
/// An app's response headers (or trailers) as the lines <see cref="Engine.HttpResponse"/> writes: one line
/// per value, each checked so that nothing can be injected. The framing headers are the server's
/// (it decides Content-Length or chunked, and keep-alive), so an app's <c>Connection</c>,
/// <c>Transfer-Encoding</c> and the like are left out; <c>Connection: close</c> closes the
/// connection after the response, as under Kestrel.
/// </summary>
internal sealed class ResponseHeaderLines : IResponseHeaderSource
{
    // The concrete type: its enumerator is a struct, where IHeaderDictionary's would be boxed for every response.
    private readonly HeaderDictionary _headers;
    private readonly bool _skipServer;

    public ResponseHeaderLines(HeaderDictionary headers, bool skipServer)
    {
        _headers = headers;
        _skipServer = skipServer;
    }

    /// <summary>Whether the app asked for the connection to close after this response.</summary>
    public bool AsksToClose() =>
        _headers.TryGetValue(HeaderNames.Connection, out StringValues value) && value.ToString().Contains("close", StringComparison.OrdinalIgnoreCase);

    public int Measure(out long declaredLength)
    {
        declaredLength = _headers.ContentLength ?? -1;
        int size = 0;
        foreach (KeyValuePair<string, StringValues> header in _headers)
        {
            if (Skips(header.Key))
            {
                continue;
            }

            foreach (string? value in header.Value)
            {
                if (value is null)
                {
                    continue;
                }

                // "Trailer" names the trailers to come; the gateway contract reserves it, an ASP.NET Core app may set it.
                string? problem = ResponseHeaderValidator.CheckHeader(IsTrailerDeclaration(header.Key) ? "X-Trailer" : header.Key, value);
                if (problem is not null)
                {
                    throw new InvalidOperationException(problem);
                }

                size += ResponseHeadWriter.MeasureHeader(header.Key, value);
            }
        }

        return size;
    }

    public int Write(Span<byte> destination)
    {
        int written = 0;
        foreach (KeyValuePair<string, StringValues> header in _headers)
        {
            if (Skips(header.Key))
            {
                continue;
            }

            foreach (string? value in header.Value)
            {
                if (value is not null)
                {
                    written += ResponseHeadWriter.WriteHeader(destination[written..], header.Key, value);
                }
            }
        }

        return written;
    }

    private static bool IsTrailerDeclaration(string name) => name.Equals(HeaderNames.Trailer, StringComparison.OrdinalIgnoreCase);

    private bool Skips(string name) =>
        name.Equals(HeaderNames.Date, StringComparison.OrdinalIgnoreCase)
        || (_skipServer && name.Equals(HeaderNames.Server, StringComparison.OrdinalIgnoreCase))
        || (ResponseHeaderValidator.IsServerOwned(name) && !IsTrailerDeclaration(name));
}
