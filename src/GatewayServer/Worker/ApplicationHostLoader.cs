using System.Net;
using System.Net.Sockets;
using System.Reflection;
using GatewayServer.Configuration;
using GatewayServer.Engine;
using GatewayServer.Loading;
using GatewayServer.Logging;

namespace GatewayServer.Worker;

/// <summary>
/// Starts an app that is a program of its own (<see cref="ApplicationKind.Host"/>: an ASP.NET Core
/// app) inside the worker. The model lives in <c>GatewayServer.AspNetCore.dll</c>, beside gwserve's
/// own assembly, which is loaded by name here and only here, with the ASP.NET Core shared framework
/// resolved from the running runtime's installation: a worker serving a gateway app never loads either.
/// </summary>
public static class ApplicationHostLoader
{
    private const string ModelAssembly = "GatewayServer.AspNetCore";
    private const string ModelType = "GatewayServer.AspNetCore.AspNetCoreApplicationHost";

    /// <summary>Runs the app's entry point until its server starts; a failure before that is an <see cref="AppLoadException"/>.</summary>
    internal static (IApplicationHost Host, IAppModel Model) Start(LoadedApplication loaded, string targetText, ServerSettings settings, string listenDescriptors, ErrorLog? log)
    {
        if (SharedFrameworks.AspNetCoreDirectory is null)
        {
            throw new AppLoadException(AppLoadFailure.NotAnAssembly, targetText,
                $"{loaded.Description} is an ASP.NET Core app, but the Microsoft.AspNetCore.App shared framework is not installed beside the running .NET runtime");
        }

        SharedFrameworks.Install();
        var host = (IApplicationHost)Activator.CreateInstance(
            Assembly.Load(new AssemblyName(ModelAssembly)).GetType(ModelType, throwOnError: true)!,
            [loaded.EntryPoint!])!;
        long bodyLimit = settings.Get(Settings.LimitRequestBody);
        var options = new ApplicationHostOptions
        {
            Addresses = AddressesOf(listenDescriptors, settings.Get(Settings.CertFile).Length > 0),
            GracefulTimeout = settings.Get(Settings.GracefulTimeout),
            MaxRequestBodySize = bodyLimit == 0 ? -1 : bodyLimit,
            Warn = message =>
            {
                if (log is null)
                {
                    Console.Error.WriteLine($"gwserve: warning: {message}");
                }
                else
                {
                    log.Warning("{message}", message);
                }
            },
        };
        try
        {
            return (host, host.Start(options));
        }
        catch (Exception error)
        {
            throw new AppLoadException(AppLoadFailure.AppThrew, targetText,
                $"{loaded.Description} failed to start: {error.GetType().FullName}: {error.Message}", error);
        }
    }

    /// <summary>
    /// <c>--check-config</c> for a program: starts its host once, with no listening socket, and
    /// stops it again. Throws <see cref="AppLoadException"/> when the app fails to start.
    /// </summary>
    public static void StartAndStop(LoadedApplication loaded, string targetText, ServerSettings settings)
    {
        (IApplicationHost host, _) = Start(loaded, targetText, settings, listenDescriptors: string.Empty, log: null);
        host.StopAsync(Task.CompletedTask, settings.Get(Settings.GracefulTimeout)).GetAwaiter().GetResult();
    }

    /// <summary>The worker's listening sockets as URLs, for the app's <c>IServerAddressesFeature</c> (and its "Now listening on" lines).</summary>
    private static List<string> AddressesOf(string listenDescriptors, bool tls)
    {
        var addresses = new List<string>();
        string scheme = tls ? "https" : "http";
        foreach (string fd in listenDescriptors.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            using var socket = new Socket(new SafeSocketHandle(int.Parse(fd, System.Globalization.CultureInfo.InvariantCulture), ownsHandle: false));
            addresses.Add(socket.LocalEndPoint switch
            {
                IPEndPoint ip when ip.AddressFamily == AddressFamily.InterNetworkV6 => $"{scheme}://[{ip.Address}]:{ip.Port}",
                IPEndPoint ip => $"{scheme}://{ip.Address}:{ip.Port}",
                UnixDomainSocketEndPoint unix => $"{scheme}://unix:{unix}",
                var other => $"{scheme}://{other}",
            });
        }

        return addresses;
    }
}
