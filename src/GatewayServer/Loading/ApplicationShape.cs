using System.Reflection;

namespace GatewayServer.Loading;

/// <summary>
/// Recognises what counts as an application: objects implementing the contract interfaces,
/// delegates of their shape, OWIN <c>AppFunc</c>s, and static methods of any of those shapes.
/// </summary>
internal static class ApplicationShape
{
    /// <summary>What an app target must produce, for <see cref="AppLoadFailure.WrongShape"/> messages.</summary>
    public const string Expected =
        "an IGatewayApplication, an IAsyncGatewayApplication, a static method of their Invoke/InvokeAsync shape, or an OWIN Func<IDictionary<string, object>, Task>";

    // Nullable annotations do not exist at run time: IDictionary<string, object?> is this type.
    private static readonly Type Environ = typeof(IDictionary<string, object>);

    /// <summary>Whether a static method can itself serve as an application.</summary>
    public static bool IsApplicationMethod(MethodInfo method) =>
        IsSyncMethod(method) || IsAsyncMethod(method) || IsOwinMethod(method);

    /// <summary>Wraps a static method of an application shape (see <see cref="IsApplicationMethod"/>).</summary>
    public static LoadedApplication FromMethod(MethodInfo method, string description)
    {
        if (IsSyncMethod(method))
        {
            var invoke = method.CreateDelegate<Func<IDictionary<string, object?>, StartResponse, IEnumerable<ReadOnlyMemory<byte>>>>();
            return LoadedApplication.FromObject(new DelegateApplication(invoke, description), description);
        }

        if (IsAsyncMethod(method))
        {
            var invoke = method.CreateDelegate<Func<IDictionary<string, object?>, StartResponse, IAsyncEnumerable<ReadOnlyMemory<byte>>>>();
            return LoadedApplication.FromObject(new DelegateAsyncApplication(invoke, description), description);
        }

        if (IsOwinMethod(method))
        {
            return LoadedApplication.FromOwin(method.CreateDelegate<Func<IDictionary<string, object>, Task>>(), description);
        }

        throw new ArgumentException($"{method} does not have an application shape.", nameof(method));
    }

    /// <summary>Wraps what a property, field or factory returned; <c>null</c> when it is not an application.</summary>
    public static LoadedApplication? FromValue(object? value, string description)
    {
        switch (value)
        {
            case IGatewayApplication or IAsyncGatewayApplication:
                return LoadedApplication.FromObject(value, description);
            case Func<IDictionary<string, object?>, StartResponse, IEnumerable<ReadOnlyMemory<byte>>> sync:
                return LoadedApplication.FromObject(new DelegateApplication(sync, description), description);
            case Func<IDictionary<string, object?>, StartResponse, IAsyncEnumerable<ReadOnlyMemory<byte>>> async:
                return LoadedApplication.FromObject(new DelegateAsyncApplication(async, description), description);
            case Func<IDictionary<string, object>, Task> owin:
                return LoadedApplication.FromOwin(owin, description);
            default:
                return null;
        }
    }

    /// <summary>Names what a member returned, for messages: <c>null</c> or its run-time type.</summary>
    public static string DescribeValue(object? value) =>
        value is null ? "null" : $"a {value.GetType().FullName}";

    private static bool IsSyncMethod(MethodInfo method) =>
        HasParameters(method, Environ, typeof(StartResponse)) && Returns(method, typeof(IEnumerable<ReadOnlyMemory<byte>>));

    private static bool IsAsyncMethod(MethodInfo method) =>
        HasParameters(method, Environ, typeof(StartResponse)) && Returns(method, typeof(IAsyncEnumerable<ReadOnlyMemory<byte>>));

    private static bool IsOwinMethod(MethodInfo method) =>
        HasParameters(method, Environ) && Returns(method, typeof(Task));

    // A more derived reference return type (an array, Task<T>) still binds to the delegate;
    // a struct would need boxing, which delegate variance does not do.
    private static bool Returns(MethodInfo method, Type expected) =>
        !method.ReturnType.IsValueType && expected.IsAssignableFrom(method.ReturnType);

    private static bool HasParameters(MethodInfo method, params Type[] types)
    {
        if (!method.IsStatic || method.ContainsGenericParameters)
        {
            return false;
        }

        ParameterInfo[] parameters = method.GetParameters();
        if (parameters.Length != types.Length)
        {
            return false;
        }

        for (int i = 0; i < types.Length; i++)
        {
            if (parameters[i].ParameterType != types[i])
            {
                return false;
            }
        }

        return true;
    }
}
