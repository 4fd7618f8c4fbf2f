namespace OwinApp;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// Classic OWIN middleware: takes the next <c>AppFunc</c>, and adds a response header at the last
/// moment through <c>server.OnSendingHeaders</c>, whatever the next component does.
/// </summary>
public sealed class PoweredByMiddleware
{
    private readonly AppFunc _next;

    public PoweredByMiddleware(AppFunc next)
    {
        _next = next;
    }

    public Task Invoke(IDictionary<string, object> environment)
    {
        if (environment.TryGetValue("server.OnSendingHeaders", out object? value) && value is Action<Action<object>, object> onSendingHeaders)
        {
            onSendingHeaders(static state =>
            {
                var env = (IDictionary<string, object>)state;
                ((IDictionary<string, string[]>)env["owin.ResponseHeaders"])["X-Powered-By"] = ["OwinApp"];
            }, environment);
        }

        return _next(environment);
    }
}
