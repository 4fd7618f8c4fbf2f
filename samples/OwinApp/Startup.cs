namespace OwinApp;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// An OWIN 1.0 application as it would be written for any OWIN host: a pipeline of middleware in
/// front of an <c>AppFunc</c>, using only the OWIN environment keys. It references nothing of
/// gwserve. Serve it as <c>OwinApp.dll:Startup.App</c>.
/// </summary>
public static class Startup
{
    private static readonly Signals Signals = new();

    /// <summary>The application: a header-adding middleware in front of the router.</summary>
    public static AppFunc App { get; } = new PoweredByMiddleware(new Router(Signals).Invoke).Invoke;
}
