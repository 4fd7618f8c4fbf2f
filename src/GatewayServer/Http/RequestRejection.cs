using System.Diagnostics.CodeAnalysis;

namespace GatewayServer.Http;

/// <summary>The single place that maps a <see cref="RequestRejectionReason"/> to a status code and text.</summary>
public static class RequestRejection
{
    /// <summary>Throws the <see cref="BadHttpRequestException"/> for <paramref name="reason"/>.</summary>
    [DoesNotReturn]
    public static void Throw(RequestRejectionReason reason) => throw new BadHttpRequestException(reason);

    /// <summary>The status code a client receives for <paramref name="reason"/>.</summary>
    public static int StatusCode(RequestRejectionReason reason) => reason switch
    {
        RequestRejectionReason.UnsupportedVersion => 505,
        RequestRejectionReason.RequestLineTooLong => 414,
        RequestRejectionReason.HeaderFieldTooLarge or
        RequestRejectionReason.TooManyHeaders or
        RequestRejectionReason.HeadersTooLarge => 431,
        RequestRejectionReason.UnsupportedTransferCoding => 501,
        RequestRejectionReason.BodyTooLarge => 413,
        RequestRejectionReason.UnsupportedExpectation => 417,
        RequestRejectionReason.RequestHeadTimeout or
        RequestRejectionReason.BodyDataRateTooLow => 408,
        _ => 400,
    };

    /// <summary>A short human-readable description for the error log.</summary>
    public static string Describe(RequestRejectionReason reason) => reason switch
    {
        RequestRejectionReason.InvalidRequestLine => "malformed request line",
        RequestRejectionReason.InvalidMethod => "invalid method token",
        RequestRejectionReason.InvalidRequestTarget => "invalid request target",
        RequestRejectionReason.InvalidVersion => "malformed HTTP version",
        RequestRejectionReason.UnsupportedVersion => "unsupported HTTP version",
        RequestRejectionReason.RequestLineTooLong => "request line too long",
        RequestRejectionReason.InvalidHeaderName => "invalid header name",
        RequestRejectionReason.WhitespaceBeforeColon => "whitespace between header name and colon",
        RequestRejectionReason.InvalidHeaderValue => "invalid character in header value",
        RequestRejectionReason.ObsoleteLineFolding => "obsolete line folding",
        RequestRejectionReason.BareLineFeed => "line not terminated by CRLF",
        RequestRejectionReason.HeaderFieldTooLarge => "header field too large",
        RequestRejectionReason.TooManyHeaders => "too many header fields",
        RequestRejectionReason.HeadersTooLarge => "request head too large",
        RequestRejectionReason.MissingHost => "missing Host header",
        RequestRejectionReason.MultipleHost => "more than one Host header",
        RequestRejectionReason.InvalidHost => "invalid Host header",
        RequestRejectionReason.InvalidContentLength => "invalid Content-Length",
        RequestRejectionReason.MultipleContentLength => "conflicting Content-Length headers",
        RequestRejectionReason.TransferEncodingWithContentLength => "both Transfer-Encoding and Content-Length",
        RequestRejectionReason.TransferEncodingOnHttp10 => "Transfer-Encoding on HTTP/1.0",
        RequestRejectionReason.ChunkedNotFinal => "chunked is not the final transfer coding",
        RequestRejectionReason.UnsupportedTransferCoding => "unsupported transfer coding",
        RequestRejectionReason.InvalidChunkSize => "invalid chunk size",
        RequestRejectionReason.ChunkExtensionTooLong => "chunk extension too long",
        RequestRejectionReason.InvalidChunkFraming => "malformed chunked framing",
        RequestRejectionReason.TrailersTooLarge => "trailer section too large",
        RequestRejectionReason.InvalidTrailer => "invalid trailer field",
        RequestRejectionReason.UnexpectedEndOfBody => "connection closed before the body ended",
        RequestRejectionReason.BodyTooLarge => "request body too large",
        RequestRejectionReason.UnsupportedExpectation => "unsupported Expect value",
        RequestRejectionReason.RequestHeadTimeout => "request head not received in time",
        RequestRejectionReason.BodyDataRateTooLow => "request body arrived too slowly",
        _ => reason.ToString(),
    };
}
