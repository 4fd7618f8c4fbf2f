namespace GatewayServer;

/// <summary>
/// Turns an open file into a response body that the server sends without copying it through
/// managed buffers when it can (<c>sendfile</c>). Found in the environ under
/// <see cref="EnvironKeys.FileWrapper"/>.
/// </summary>
/// <param name="file">The file to send; the server disposes it when the response is done.</param>
/// <param name="offset">Where to start in the file.</param>
/// <param name="length">How many bytes to send; <c>null</c> means to the end of the file.</param>
public delegate FileBody FileWrapper(FileStream file, long offset = 0, long? length = null);
