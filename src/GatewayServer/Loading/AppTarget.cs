namespace GatewayServer.Loading;

/// <summary>
/// A parsed app target, <c>ASSEMBLY[:NAME]</c>: which assembly to load and what in it is the
/// application. See <c>docs/app-targets.md</c> for the forms.
/// </summary>
/// <param name="AssemblyPath">The absolute path of the assembly file.</param>
/// <param name="Name">The type or member name, e.g. <c>"Startup.Create"</c>; <c>"App"</c> when omitted.</param>
/// <param name="Arguments">The literal arguments of a factory call, or <c>null</c> when <c>NAME</c> is not a call.</param>
/// <param name="Text">The target as given, for messages.</param>
public sealed record AppTarget(string AssemblyPath, string Name, IReadOnlyList<object?>? Arguments, string Text)
{
    /// <summary>The name used when the target has no <c>:NAME</c>.</summary>
    public const string DefaultName = "App";

    private const string AssemblyExtension = ".dll";

    /// <summary>Whether the target named what to serve (<c>ASSEMBLY:NAME</c>), rather than leaving <see cref="DefaultName"/> to be looked for.</summary>
    public bool NameGiven { get; init; }

    /// <summary>Parses <paramref name="text"/>, resolving a relative assembly path against <paramref name="baseDirectory"/>.</summary>
    /// <exception cref="AppLoadException">With <see cref="AppLoadFailure.InvalidTarget"/> when the text is malformed.</exception>
    public static AppTarget Parse(string text, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(baseDirectory);

        int separator = FindSeparator(text);
        string assemblyPart = (separator < 0 ? text : text[..separator]).Trim();
        if (assemblyPart.Length == 0)
        {
            throw new AppLoadException(AppLoadFailure.InvalidTarget, text, "no assembly before ':'; expected ASSEMBLY[:NAME]");
        }

        string name = DefaultName;
        object?[]? arguments = null;
        if (separator >= 0)
        {
            (name, arguments) = TargetNameParser.Parse(text, separator + 1);
        }

        // "MyApp:App" means MyApp.dll, as "module:app" means module.py in gunicorn.
        if (!assemblyPart.EndsWith(AssemblyExtension, StringComparison.OrdinalIgnoreCase))
        {
            assemblyPart += AssemblyExtension;
        }

        string assemblyPath;
        try
        {
            assemblyPath = Path.GetFullPath(assemblyPart, Path.GetFullPath(baseDirectory));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new AppLoadException(AppLoadFailure.InvalidTarget, text, $"invalid assembly path \"{assemblyPart}\": {e.Message}");
        }

        return new AppTarget(assemblyPath, name, arguments, text) { NameGiven = separator >= 0 };
    }

    /// <summary>
    /// The ':' between ASSEMBLY and NAME: the first one, except the one of a Windows drive
    /// (<c>C:\</c>), so a string argument like <c>"http://x"</c> in NAME is not mistaken for it.
    /// Paths that contain ':' elsewhere are not supported.
    /// </summary>
    private static int FindSeparator(string text)
    {
        int start = 0;
        if (text.Length >= 3 && char.IsAsciiLetter(text[0]) && text[1] == ':' && text[2] is '\\' or '/')
        {
            start = 2;
        }

        return text.IndexOf(':', start);
    }
}
