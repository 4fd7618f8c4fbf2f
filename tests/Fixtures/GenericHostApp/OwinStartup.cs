using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace GenericHostApp;

/// <summary>An OWIN AppFunc whose code uses the ASP.NET Core shared framework (QueryHelpers).</summary>
public static class OwinStartup
{
    public static Func<IDictionary<string, object>, Task> App => async environment =>
    {
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query = QueryHelpers.ParseQuery((string)environment["owin.RequestQueryString"]);
        byte[] body = Encoding.UTF8.GetBytes($"owin on aspnetcore: name={query["name"]}");
        var headers = (IDictionary<string, string[]>)environment["owin.ResponseHeaders"];
        headers["Content-Type"] = ["text/plain"];
        await ((Stream)environment["owin.ResponseBody"]).WriteAsync(body);
    };
}
