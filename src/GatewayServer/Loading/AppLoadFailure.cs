namespace GatewayServer.Loading;

/// <summary>
/// Why an app target could not be loaded. The value is the process exit code of a worker (or of
/// <c>--check-config</c>) that failed for that reason, so the master can tell "the app is broken,
/// stop respawning" from a crash, as gunicorn does with its exit code 4.
/// </summary>
public enum AppLoadFailure
{
    /// <summary>The app's constructor, factory, getter or type initializer threw.</summary>
    AppThrew = 4,

    /// <summary>The assembly file does not exist.</summary>
    AssemblyNotFound = 5,

    /// <summary>The file exists but is not a loadable .NET assembly.</summary>
    NotAnAssembly = 6,

    /// <summary>No type or member of that name exists in the assembly.</summary>
    NameNotFound = 7,

    /// <summary>The name matches several types, members or overloads.</summary>
    Ambiguous = 8,

    /// <summary>The name was found but is not, or does not produce, an application.</summary>
    WrongShape = 9,

    /// <summary>The target text itself is malformed.</summary>
    InvalidTarget = 10,
}
