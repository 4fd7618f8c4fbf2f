using GatewayServer.Http;

namespace GatewayServer.Engine;

/// <summary>
/// The request's path split where the application is mounted: the path base (a trusted proxy's
/// prefix, then <c>--script-name</c>) and the rest, percent-decoded. The same split for every app
/// model: <c>SCRIPT_NAME</c>/<c>PATH_INFO</c>, <c>owin.RequestPathBase</c>/<c>owin.RequestPath</c>,
/// ASP.NET Core's <c>PathBase</c>/<c>Path</c>.
/// </summary>
internal static class ApplicationPath
{
    public static (string PathBase, string Path) Split(RequestHead head, string scriptName, string? forwardedPrefix)
    {
        ReadOnlySpan<byte> target = head[head.Path];
        string path = head.TargetForm is not (RequestTargetForm.Origin or RequestTargetForm.Absolute) ? string.Empty
            : target.SequenceEqual("/"u8) ? "/"
            : PercentDecoder.Decode(target);
        if (scriptName.Length > 0 && path.StartsWith(scriptName, StringComparison.Ordinal)
            && (path.Length == scriptName.Length || path[scriptName.Length] == '/'))
        {
            path = path[scriptName.Length..];
        }

        return (Base(scriptName, forwardedPrefix), path);
    }

    /// <summary>The path base alone: the proxy mounts us under its prefix (and strips it); <c>--script-name</c> is stripped here.</summary>
    public static string Base(string scriptName, string? forwardedPrefix) =>
        forwardedPrefix is null ? scriptName : forwardedPrefix + scriptName;
}
