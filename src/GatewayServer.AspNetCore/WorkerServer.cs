using GatewayServer.Engine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GatewayServer.AspNetCore;

/// <summary>
/// gwserve's <see cref="IServer"/>: what the app's host starts in place of Kestrel. It opens no
/// socket: <see cref="StartAsync{TContext}"/> hands the app's <see cref="IHttpApplication{TContext}"/>
/// to the worker, whose connections feed it; <see cref="StopAsync"/> waits for the worker's
/// connections to finish their requests.
/// </summary>
internal sealed class WorkerServer : IServer
{
    private readonly TaskCompletionSource<IAppModel> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ServerAddressesFeature _addresses = new();
    private IConfiguration? _configuration;
    private Task? _connectionsDrained;

    public WorkerServer(ApplicationHostOptions options)
    {
        Options = options;
        Features.Set<IServerAddressesFeature>(_addresses);
    }

    public ApplicationHostOptions Options { get; }

    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <summary>Completes with the app model once the app's host has started the server.</summary>
    public Task<IAppModel> Started => _started.Task;

    /// <summary>The app's lifetime, once the host has resolved the server.</summary>
    public IHostApplicationLifetime? Lifetime { get; private set; }

    /// <summary>Called when the app's container resolves its <see cref="IServer"/>.</summary>
    public WorkerServer Bind(IServiceProvider services)
    {
        Lifetime = services.GetService<IHostApplicationLifetime>();
        _configuration = services.GetService<IConfiguration>();
        return this;
    }

    /// <summary>The worker is stopping: the server's stop waits for <paramref name="connectionsDrained"/>.</summary>
    public void BeginStop(Task connectionsDrained) => _connectionsDrained = connectionsDrained;

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        // The host copied the app's URLs (ASPNETCORE_URLS, UseUrls, --urls) here before starting us;
        // Kestrel's own endpoints live in configuration. gwserve owns the sockets: say so once.
        bool endpoints = _configuration?.GetSection("Kestrel:Endpoints").GetChildren().Any() == true;
        if (_addresses.Addresses.Count > 0 || endpoints)
        {
            string what = _addresses.Addresses.Count > 0 ? string.Join(", ", _addresses.Addresses) : "Kestrel:Endpoints";
            Options.Warn($"the app's URLs ({what}) are ignored: gwserve serves its own --bind addresses");
        }

        _addresses.Addresses.Clear();
        foreach (string address in Options.Addresses)
        {
            _addresses.Addresses.Add(address);
        }

        _started.TrySetResult(new AspNetCoreAppModel<TContext>(application, Options));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The app stopped itself (StopApplication from its own code): the worker retires when the
        // entry point returns, and drains its connections then.
        if (_connectionsDrained is { } drained)
        {
            await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
    }

    private sealed class ServerAddressesFeature : IServerAddressesFeature
    {
        public ICollection<string> Addresses { get; } = new List<string>();

        public bool PreferHostingUrls { get; set; }
    }
}
