using System.Reflection;

namespace GatewayServer.Loading;

/// <summary>
/// Tells a program to be run through its entry point (an ASP.NET Core app) from a gateway or OWIN
/// app: <c>MyWeb.dll</c> with no <c>:NAME</c> is a program when the assembly has an entry point and
/// no type or member <c>App</c>; <c>MyWeb.dll:Program</c> names the entry point's type explicitly
/// (the class top-level statements compile into), when that type is not itself a gateway app.
/// </summary>
internal static class ProgramTarget
{
    /// <summary>The program <paramref name="target"/> designates in <paramref name="assembly"/>, or null when it designates something else.</summary>
    public static LoadedApplication? Match(AppTarget target, Assembly assembly)
    {
        MethodInfo? entryPoint;
        try
        {
            entryPoint = assembly.EntryPoint;
        }
        catch (Exception error) when (error is TypeLoadException or FileNotFoundException or FileLoadException)
        {
            return null;
        }

        if (entryPoint?.DeclaringType is not { } program)
        {
            return null;
        }

        string description = $"program {program.FullName} (entry point {entryPoint.Name}) in {target.AssemblyPath}";
        if (!target.NameGiven)
        {
            return HasAppMember(assembly) ? null : LoadedApplication.FromEntryPoint(entryPoint, description);
        }

        string name = target.Name.Replace('+', '.');
        string full = program.FullName!.Replace('+', '.');
        bool namesProgram = target.Arguments is null && (full == name || full.EndsWith("." + name, StringComparison.Ordinal));
        bool isGatewayApp = typeof(IGatewayApplication).IsAssignableFrom(program) || typeof(IAsyncGatewayApplication).IsAssignableFrom(program);
        return namesProgram && !isGatewayApp ? LoadedApplication.FromEntryPoint(entryPoint, description) : null;
    }

    /// <summary>Whether a type named <c>App</c> (in any namespace) exists: then the target keeps its gateway meaning.</summary>
    private static bool HasAppMember(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = Array.FindAll(e.Types, t => t is not null)!;
        }

        foreach (Type type in types)
        {
            if (type.Name == AppTarget.DefaultName)
            {
                return true;
            }
        }

        return false;
    }
}
