using System.Globalization;
using System.Text;

namespace TestApps;

/// <summary>
/// An OWIN 1.0 <c>AppFunc</c> (served as <c>TestApps.dll:OwinBehaviours.Invoke</c>) for what the
/// OwinApp sample cannot show: <c>/environment</c> answers the keys proxy trust may change, one per
/// line (<c>key=value</c>); <c>/bad-header</c> sets a header whose value holds CR LF;
/// <c>/large-sync?bytes=N</c> writes N bytes in one synchronous <c>Stream.Write</c>;
/// <c>/read-sync</c> reads the request body with synchronous reads and answers its length;
/// anything else answers <c>ok</c>.
/// </summary>
public static class OwinBehaviours
{
    public static Task Invoke(IDictionary<string, object> environment)
    {
        var headers = (IDictionary<string, string[]>)environment["owin.ResponseHeaders"];
        var body = (Stream)environment["owin.ResponseBody"];
        switch ((string)environment["owin.RequestPath"])
        {
            case "/environment":
                var requestHeaders = (IDictionary<string, string[]>)environment["owin.RequestHeaders"];
                var text = new StringBuilder();
                foreach (string key in new[] { "owin.RequestScheme", "owin.RequestPathBase", "owin.RequestPath", "server.RemoteIpAddress", "server.RemotePort", "server.IsLocal", "server.LocalIpAddress", "server.LocalPort" })
                {
                    text.Append(key).Append('=').Append(Convert.ToString(environment[key], CultureInfo.InvariantCulture)).Append('\n');
                }

                text.Append("Host=").Append(requestHeaders["Host"][0]).Append('\n');
                body.Write(Encoding.UTF8.GetBytes(text.ToString()));
                return Task.CompletedTask;
            case "/bad-header":
                headers["X-Bad"] = ["a\r\nInjected: yes"];
                body.Write("never sent"u8);
                return Task.CompletedTask;
            case "/large-sync":
                string query = (string)environment["owin.RequestQueryString"];
                byte[] large = new byte[int.Parse(query["bytes=".Length..], CultureInfo.InvariantCulture)];
                Array.Fill(large, (byte)'x');
                body.Write(large, 0, large.Length);
                return Task.CompletedTask;
            case "/read-sync":
                var input = (Stream)environment["owin.RequestBody"];
                byte[] buffer = new byte[4096];
                int total = 0;
                for (int read; (read = input.Read(buffer, 0, buffer.Length)) > 0;)
                {
                    total += read;
                }

                body.Write(Encoding.ASCII.GetBytes(total.ToString(CultureInfo.InvariantCulture)));
                return Task.CompletedTask;
            default:
                body.Write("ok"u8);
                return Task.CompletedTask;
        }
    }
}
