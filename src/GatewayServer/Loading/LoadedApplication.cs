namespace GatewayServer.Loading;

/// <summary>
/// An application loaded from an app target, ready for the worker to serve. Exactly the member
/// that matches <see cref="Kind"/> is set, except that an object implementing both interfaces
/// sets <see cref="Sync"/> and <see cref="Async"/> (and reports <see cref="ApplicationKind.Async"/>).
/// </summary>
public sealed class LoadedApplication
{
    private AppLoadContext? _loadContext;

    private LoadedApplication(
        ApplicationKind kind,
        IGatewayApplication? sync,
        IAsyncGatewayApplication? async,
        Func<IDictionary<string, object>, Task>? owin,
        string description)
    {
        Kind = kind;
        Sync = sync;
        Async = async;
        Owin = owin;
        Description = description;
    }

    /// <summary>Which calling convention the application uses.</summary>
    public ApplicationKind Kind { get; }

    /// <summary>The synchronous application, when it has one.</summary>
    public IGatewayApplication? Sync { get; }

    /// <summary>The asynchronous application, when it has one.</summary>
    public IAsyncGatewayApplication? Async { get; }

    /// <summary>The OWIN <c>AppFunc</c>, when <see cref="Kind"/> is <see cref="ApplicationKind.Owin"/>.</summary>
    public Func<IDictionary<string, object>, Task>? Owin { get; }

    /// <summary>The program's entry point, when <see cref="Kind"/> is <see cref="ApplicationKind.Host"/>.</summary>
    public System.Reflection.MethodInfo? EntryPoint { get; private init; }

    /// <summary>What the target resolved to and where, for the boot log, e.g. <c>type HelloApp.App in /srv/HelloApp.dll</c>.</summary>
    public string Description { get; }

    /// <summary>
    /// The context the app's assembly was loaded into; a caller that loaded it collectible
    /// unloads it here when done.
    /// </summary>
    public AppLoadContext LoadContext =>
        _loadContext ?? throw new InvalidOperationException("The application was not created by AppLoader.");

    /// <inheritdoc />
    public override string ToString() => Description;

    /// <summary>Records the context the application lives in; the loader calls it once.</summary>
    internal LoadedApplication WithLoadContext(AppLoadContext context)
    {
        _loadContext = context;
        return this;
    }

    /// <summary>Wraps an application object, preferring the asynchronous interface when it has both.</summary>
    internal static LoadedApplication FromObject(object application, string description)
    {
        var sync = application as IGatewayApplication;
        var async = application as IAsyncGatewayApplication;
        if (async is not null)
        {
            return new LoadedApplication(ApplicationKind.Async, sync, async, null, description);
        }

        if (sync is not null)
        {
            return new LoadedApplication(ApplicationKind.Sync, sync, null, null, description);
        }

        throw new ArgumentException("Not a gateway application.", nameof(application));
    }

    /// <summary>A program run through its entry point (an ASP.NET Core app).</summary>
    internal static LoadedApplication FromEntryPoint(System.Reflection.MethodInfo entryPoint, string description) =>
        new(ApplicationKind.Host, null, null, null, description) { EntryPoint = entryPoint };

    /// <summary>Wraps an OWIN <c>AppFunc</c>.</summary>
    internal static LoadedApplication FromOwin(Func<IDictionary<string, object>, Task> appFunc, string description) =>
        new(ApplicationKind.Owin, null, null, appFunc, description);
}
