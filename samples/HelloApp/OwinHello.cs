using System.Globalization;

namespace HelloApp;

/// <summary>
/// The same hello world as <see cref="App"/>, as an OWIN <c>AppFunc</c> written against the OWIN keys
/// alone (<c>HelloApp.dll:OwinHello.Invoke</c>): bench/run's <c>gwserve-owin</c> row, which measures
/// what serving an OWIN app costs against the gateway contract.
/// </summary>
public static class OwinHello
{
    private static readonly byte[] Body = "Hello, World!"u8.ToArray();

    private static readonly string[] ContentType = ["text/plain"];

    private static readonly string[] ContentLength = [Body.Length.ToString(CultureInfo.InvariantCulture)];

    /// <summary>Answers every request with 200, <c>Content-Type: text/plain</c> and a 13-byte "Hello, World!".</summary>
    /// <param name="environment">The OWIN environment of the request.</param>
    /// <returns>The write of the body to <c>owin.ResponseBody</c>.</returns>
    public static Task Invoke(IDictionary<string, object> environment)
    {
        var headers = (IDictionary<string, string[]>)environment["owin.ResponseHeaders"];
        headers["Content-Type"] = ContentType;
        headers["Content-Length"] = ContentLength;
        var body = (Stream)environment["owin.ResponseBody"];
        return body.WriteAsync(Body, 0, Body.Length, (CancellationToken)environment["owin.CallCancelled"]);
    }
}
