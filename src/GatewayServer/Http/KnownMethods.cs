namespace GatewayServer.Http;

/// <summary>Interned strings for the common methods, so reading REQUEST_METHOD rarely allocates.</summary>
internal static class KnownMethods
{
    public static string GetString(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("GET"u8) => "GET",
        _ when method.SequenceEqual("POST"u8) => "POST",
        _ when method.SequenceEqual("HEAD"u8) => "HEAD",
        _ when method.SequenceEqual("PUT"u8) => "PUT",
        _ when method.SequenceEqual("DELETE"u8) => "DELETE",
        _ when method.SequenceEqual("PATCH"u8) => "PATCH",
        _ when method.SequenceEqual("OPTIONS"u8) => "OPTIONS",
        _ => System.Text.Encoding.ASCII.GetString(method),
    };
}
