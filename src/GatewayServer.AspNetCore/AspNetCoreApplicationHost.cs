using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using GatewayServer.Engine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GatewayServer.AspNetCore;

/// <summary>
/// Runs an unmodified ASP.NET Core app inside a worker: its entry point runs on a thread of its own,
/// as <c>dotnet MyWeb.dll</c> would run it, and when the app builds its host gwserve's
/// <see cref="WorkerServer"/> is put in place of Kestrel (the way <c>WebApplicationFactory</c> puts
/// in its test server: the "HostBuilding" event of the "Microsoft.Extensions.Hosting" diagnostic
/// listener hands out the builder before it builds). The worker is ready when the app's host
/// starts the server; it stops the app with <c>StopApplication</c>.
/// </summary>
internal sealed class AspNetCoreApplicationHost : IApplicationHost
{
    private readonly MethodInfo _entryPoint;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WorkerServer? _server;

    /// <summary>Called by the worker, by reflection, with the app's entry point.</summary>
    public AspNetCoreApplicationHost(MethodInfo entryPoint)
    {
        _entryPoint = entryPoint;
    }

    public Task Completion => _completion.Task;

    public IAppModel Start(ApplicationHostOptions options)
    {
        var server = new WorkerServer(options);
        _server = server;
        Assembly app = _entryPoint.Module.Assembly;

        // As under `dotnet MyWeb.dll`: the application name (which MVC finds controllers and Razor
        // parts by, and user secrets and static web assets are keyed on) defaults to the entry assembly's.
        Assembly.SetEntryAssembly(app);
        using IDisposable subscription = DiagnosticListener.AllListeners.Subscribe(new HostBuildingObserver(builder => Configure(builder, server)));

        var thread = new Thread(RunEntryPoint) { Name = "app entry point", IsBackground = true };
        thread.Start();

        int which = Task.WaitAny([server.Started, _completion.Task], options.StartTimeout);
        if (which == 0)
        {
            return server.Started.Result;
        }

        if (which < 0)
        {
            throw new TimeoutException($"the app did not start its web server within {options.StartTimeout.TotalSeconds:0}s");
        }

        if (_completion.Task.Exception?.InnerException is { } error)
        {
            ExceptionDispatchInfo.Capture(error).Throw();
        }

        throw new InvalidOperationException("the app's entry point returned without starting a web host (is it an ASP.NET Core app?)");
    }

    public async Task StopAsync(Task connectionsDrained, TimeSpan timeout)
    {
        if (_server is not { } server)
        {
            return;
        }

        server.BeginStop(connectionsDrained);
        server.Lifetime?.StopApplication();
        await Task.WhenAny(_completion.Task, Task.Delay(timeout)).ConfigureAwait(false);
    }

    private static void Configure(IHostBuilder builder, WorkerServer server)
    {
        // Applied after the app's own registrations (the builder runs these callbacks in order),
        // so these win over Kestrel's IServer and the console lifetime's signal handlers: the
        // worker owns the sockets and the signals.
        builder.ConfigureServices((context, services) =>
        {
            services.AddSingleton<IServer>(provider => server.Bind(provider));
            services.AddSingleton<IHostLifetime, WorkerHostLifetime>();
            services.Configure<HostOptions>(options => options.ShutdownTimeout = server.Options.GracefulTimeout);
        });
    }

    private void RunEntryPoint()
    {
        try
        {
            object?[]? arguments = _entryPoint.GetParameters().Length == 0 ? null : [Array.Empty<string>()];
            object? result = _entryPoint.Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null);
            if (result is Task task)
            {
                task.GetAwaiter().GetResult();
            }

            _completion.TrySetResult();
        }
        catch (Exception error)
        {
            _completion.TrySetException(error);
        }
    }
}
