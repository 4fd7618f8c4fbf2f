namespace GatewayServer.Engine;

/// <summary>
/// Response header (or trailer) lines kept by an app model in its own form, written straight into
/// the connection's output by <see cref="HttpResponse"/>: no intermediate list of strings.
/// </summary>
internal interface IResponseHeaderSource
{
    /// <summary>
    /// Checks every line (a name that is not a token, a value with CR/LF, or a header that belongs to
    /// the server throws <see cref="InvalidOperationException"/>) and returns how many bytes
    /// <see cref="Write"/> needs; <paramref name="declaredLength"/> is the Content-Length the lines
    /// declare, or -1.
    /// </summary>
    int Measure(out long declaredLength);

    /// <summary>Writes the lines ("Name: value\r\n" each) and returns the bytes written.</summary>
    int Write(Span<byte> destination);
}
