using System.Globalization;

namespace TestApps;

/// <summary>
/// An OWIN 1.0 <c>AppFunc</c> (served as <c>TestApps.dll:OwinStatus.Invoke</c>): <c>/status?code=N</c>
/// sets <c>owin.ResponseStatusCode</c> to N and writes <c>body</c>; anything else answers 200 <c>ok</c>.
/// </summary>
public static class OwinStatus
{
    public static async Task Invoke(IDictionary<string, object> environment)
    {
        string path = (string)environment["owin.RequestPath"];
        string query = (string)environment["owin.RequestQueryString"];
        int code = path == "/status" ? int.Parse(query["code=".Length..], CultureInfo.InvariantCulture) : 200;
        environment["owin.ResponseStatusCode"] = code;
        byte[] body = code == 200 ? "ok"u8.ToArray() : "body"u8.ToArray();
        await ((Stream)environment["owin.ResponseBody"]).WriteAsync(body);
    }
}
