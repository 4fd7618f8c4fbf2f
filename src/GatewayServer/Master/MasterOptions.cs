namespace GatewayServer.Master;

/// <summary>What the CLI hands the master besides its settings.</summary>
public sealed record MasterOptions
{
    /// <summary>Re-reads the configuration on HUP (environment, config file, command line); it may throw <see cref="Configuration.SettingException"/>.</summary>
    public Func<Configuration.ServerSettings>? Reload { get; init; }

    /// <summary>Listening sockets inherited from the master that re-executed us (USR2), one per bind address, in order.</summary>
    public IReadOnlyList<int>? InheritedDescriptors { get; init; }

    /// <summary>With <c>--reload</c>: the folders and globs whose changes start a rolling reload.</summary>
    public IReadOnlyList<string> WatchPaths { get; init; } = [];

    /// <summary>Listening sockets passed by systemd (socket activation): used instead of <c>--bind</c>.</summary>
    public IReadOnlyList<Transport.ActivatedSocket>? ActivatedSockets { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
