using GatewayServer;

namespace LoadingFixtures;

/// <summary>Static members of every shape a target can name: properties, fields, factories with overloads.</summary>
public static class Startup
{
    public static readonly IAsyncGatewayApplication AsyncField = new AsyncApp();

    public static IGatewayApplication App { get; } = new TextApp("Startup.App property");

    public static string Text => "not an app";

    public static IGatewayApplication? Nothing => null;

    public static IGatewayApplication Throwing => throw new InvalidOperationException("getter failed");

    public static Func<IDictionary<string, object?>, StartResponse, IEnumerable<ReadOnlyMemory<byte>>> Delegate { get; } =
        (environ, startResponse) => new TextApp("Startup.Delegate").Invoke(environ, startResponse);

    public static IGatewayApplication Build() => new TextApp("Startup.Build()");

    public static IGatewayApplication Create() => new TextApp("Create()");

    public static IGatewayApplication Create(string env) => new TextApp($"Create(string {env})");

    public static IGatewayApplication Create(string env, int workers) => new TextApp($"Create(string {env}, int {workers})");

    public static IGatewayApplication Create(string env, double ratio) => new TextApp($"Create(string {env}, double {ratio.ToString(System.Globalization.CultureInfo.InvariantCulture)})");

    public static IGatewayApplication Create(bool debug) => new TextApp($"Create(bool {debug})");

    public static IGatewayApplication Configure(string? name, long size = 10) => new TextApp($"Configure({name ?? "null"}, {size})");

    public static IGatewayApplication Echo(string text) => new TextApp(text);

    public static IGatewayApplication Small(byte value) => new TextApp($"Small({value})");

    public static IGatewayApplication Pick(long value) => new TextApp($"Pick(long {value})");

    public static IGatewayApplication Pick(decimal value) => new TextApp($"Pick(decimal {value})");

    public static IGatewayApplication Fail(string message) => throw new ArgumentException(message);

    public static IGatewayApplication NeedsArgument(int port) => new TextApp($"NeedsArgument({port})");

    public static object ReturnsObject() => new NotAnApp();

    internal static IGatewayApplication Hidden => new TextApp("hidden");
}
