namespace GatewayServer.Http;

/// <summary>
/// Every way a request can be refused. The status code and log text of each live in
/// <see cref="RequestRejection"/>, so that one place decides what a client is told.
/// </summary>
public enum RequestRejectionReason
{
    InvalidRequestLine,
    InvalidMethod,
    InvalidRequestTarget,
    InvalidVersion,
    UnsupportedVersion,
    RequestLineTooLong,
    InvalidHeaderName,
    WhitespaceBeforeColon,
    InvalidHeaderValue,
    ObsoleteLineFolding,
    BareLineFeed,
    HeaderFieldTooLarge,
    TooManyHeaders,
    HeadersTooLarge,
    MissingHost,
    MultipleHost,
    InvalidHost,
    InvalidContentLength,
    MultipleContentLength,
    TransferEncodingWithContentLength,
    TransferEncodingOnHttp10,
    ChunkedNotFinal,
    UnsupportedTransferCoding,
    InvalidChunkSize,
    ChunkExtensionTooLong,
    InvalidChunkFraming,
    TrailersTooLarge,
    InvalidTrailer,
    UnexpectedEndOfBody,
    BodyTooLarge,
    UnsupportedExpectation,
    RequestHeadTimeout,
    BodyDataRateTooLow,
}
