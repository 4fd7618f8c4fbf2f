using System.Reflection;

namespace GatewayServer.Loading;

/// <summary>A factory method or constructor with the target's literal arguments converted to its parameter types.</summary>
/// <param name="Method">The overload.</param>
/// <param name="Arguments">One value per parameter; omitted optional parameters are <see cref="Type.Missing"/>.</param>
/// <param name="ExactMatches">How many literals matched their parameter type exactly; more is a better overload.</param>
/// <param name="DefaultedParameters">How many optional parameters were left out; fewer is a better overload.</param>
internal sealed record BoundCall(MethodBase Method, object?[] Arguments, int ExactMatches, int DefaultedParameters);
