namespace GatewayServer.Engine;

/// <summary>
/// An application that runs as a program of its own inside the worker (an ASP.NET Core app's
/// entry point), rather than an object the worker calls: started once before the worker reports
/// ready, stopped once when it retires.
/// </summary>
internal interface IApplicationHost
{
    /// <summary>Completes when the app's entry point has returned (or thrown) after a successful start.</summary>
    Task Completion { get; }

    /// <summary>
    /// Runs the entry point until the app's server starts and returns the model that serves its
    /// requests. Throws when the app fails before its server starts (a boot failure).
    /// </summary>
    IAppModel Start(ApplicationHostOptions options);

    /// <summary>
    /// Asks the app to stop (its <c>StopApplication</c>) and waits for its entry point to return;
    /// the app's server stop waits for <paramref name="connectionsDrained"/>. Gives up at <paramref name="timeout"/>.
    /// </summary>
    Task StopAsync(Task connectionsDrained, TimeSpan timeout);
}
