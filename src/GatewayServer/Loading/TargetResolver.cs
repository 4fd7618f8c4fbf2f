using System.Reflection;

namespace GatewayServer.Loading;

/// <summary>
/// Finds what an app target's <c>NAME</c> designates in a loaded assembly and produces the
/// application from it: instantiates a type, reads a static property or field, calls a factory,
/// or wraps a static method.
/// </summary>
/// <remarks>
/// A name matches a type by its full name, or by any trailing part of it that starts at a
/// namespace or nesting boundary (so <c>App</c>, <c>Web.App</c> and <c>Acme.Web.App</c> all find
/// <c>Acme.Web.App</c>; <c>+</c> and <c>.</c> are the same for nested types). An exact full name
/// wins outright; otherwise every type and every <c>Type.Member</c> reading of the name counts,
/// and more than one is ambiguous.
/// </remarks>
internal sealed class TargetResolver
{
    private const BindingFlags AnyMember =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.FlattenHierarchy;

    private readonly AppTarget _target;
    private readonly Type[] _types;
    private readonly string? _typeLoadError;

    public TargetResolver(AppTarget target, Assembly assembly)
    {
        _target = target;
        try
        {
            _types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            // Usually a missing dependency. Resolve against the types that did load, and mention
            // the first loader error if the name is then not found, since it is likely why.
            _types = Array.FindAll(e.Types, t => t is not null)!;
            Exception? first = Array.Find(e.LoaderExceptions, x => x is not null);
            _typeLoadError = first is null ? null : $"{first.GetType().FullName}: {first.Message}";
        }
    }

    private string Where => _target.AssemblyPath;

    /// <summary>Resolves the name and produces the application.</summary>
    /// <exception cref="AppLoadException">The name is not found, ambiguous, of the wrong shape, or the app threw.</exception>
    public LoadedApplication Resolve()
    {
        string name = Normalize(_target.Name);
        List<Type> exact = _types.Where(t => Normalize(t.FullName) == name).ToList();
        if (exact.Count == 1)
        {
            return FromType(exact[0]);
        }

        List<Type> types = _types.Where(t => Normalize(t.FullName).EndsWith("." + name, StringComparison.Ordinal)).ToList();
        var owners = new List<Type>();
        string memberName = "";
        int dot = name.LastIndexOf('.');
        if (dot > 0)
        {
            memberName = name[(dot + 1)..];
            foreach (Type owner in FindTypes(name[..dot]))
            {
                if (FindMembers(owner, memberName).Length > 0)
                {
                    owners.Add(owner);
                }
            }
        }

        int count = exact.Count + types.Count + owners.Count;
        if (count == 0)
        {
            throw NotFound(name, dot > 0 ? FindTypes(name[..dot]) : []);
        }

        if (count > 1)
        {
            List<string> candidates = exact.Concat(types).Select(t => Normalize(t.FullName))
                .Concat(owners.Select(t => Normalize(t.FullName) + "." + memberName))
                .Order(StringComparer.Ordinal)
                .ToList();
            throw new AppLoadException(AppLoadFailure.Ambiguous, _target.Text,
                $"\"{_target.Name}\" is ambiguous in {Where}: it matches {string.Join(", ", candidates)}; use the full name");
        }

        return types.Count == 1 ? FromType(types[0]) : FromMember(owners[0], memberName);
    }

    // Reflection spells nested types Outer+Inner; people write Outer.Inner. Compare in one spelling.
    private static string Normalize(string? name) => name is null ? "" : name.Replace('+', '.');

    private static MemberInfo[] FindMembers(Type owner, string name) =>
        owner.GetMember(name, MemberTypes.Field | MemberTypes.Property | MemberTypes.Method, AnyMember);

    private List<Type> FindTypes(string name)
    {
        List<Type> exact = _types.Where(t => Normalize(t.FullName) == name).ToList();
        return exact.Count > 0
            ? exact
            : _types.Where(t => Normalize(t.FullName).EndsWith("." + name, StringComparison.Ordinal)).ToList();
    }

    private AppLoadException NotFound(string name, List<Type> owners)
    {
        string detail = $"type or member \"{_target.Name}\" not found in {Where}";
        if (owners.Count > 0)
        {
            detail += $" (type {Normalize(owners[0].FullName)} has no member \"{name[(name.LastIndexOf('.') + 1)..]}\")";
        }

        if (_typeLoadError is not null)
        {
            detail += $"; some types could not be loaded: {_typeLoadError}";
        }

        return new AppLoadException(AppLoadFailure.NameNotFound, _target.Text, detail);
    }

    private LoadedApplication FromType(Type type)
    {
        string what = $"type {Normalize(type.FullName)}";
        string description = $"{what} in {Where}";
        if (!typeof(IGatewayApplication).IsAssignableFrom(type) && !typeof(IAsyncGatewayApplication).IsAssignableFrom(type))
        {
            throw WrongShape($"{description} implements neither IGatewayApplication nor IAsyncGatewayApplication; expected {ApplicationShape.Expected}");
        }

        if (type.IsAbstract || type.ContainsGenericParameters)
        {
            string kind = type.IsInterface ? "an interface" : type.IsAbstract ? "abstract" : "an open generic type";
            throw WrongShape($"{description} is {kind} and cannot be instantiated");
        }

        object? instance;
        if (_target.Arguments is null)
        {
            ConstructorInfo? constructor = type.GetConstructor(Type.EmptyTypes);
            if (constructor is null)
            {
                throw WrongShape($"{description} has no public parameterless constructor; give the constructor's arguments as literals, or use a static factory");
            }

            instance = Invoke($"the constructor of {what}", () => constructor.Invoke(BindingFlags.DoNotWrapExceptions, null, null, null));
        }
        else
        {
            BoundCall call = Bind(type.GetConstructors(), what);
            instance = Invoke($"the constructor {Normalize(type.FullName)}{LiteralBinder.DescribeSignature(call.Method)[type.Name.Length..]}",
                () => ((ConstructorInfo)call.Method).Invoke(BindingFlags.DoNotWrapExceptions, null, call.Arguments, null));
        }

        return LoadedApplication.FromObject(instance!, description);
    }

    private LoadedApplication FromMember(Type owner, string name)
    {
        string what = $"{Normalize(owner.FullName)}.{name}";
        MemberInfo[] members = FindMembers(owner, name);
        var methods = new List<MethodInfo>();
        foreach (MemberInfo member in members)
        {
            switch (member)
            {
                case MethodInfo method when method.IsPublic && method.IsStatic:
                    methods.Add(method);
                    break;
                case PropertyInfo property when property.GetMethod is { IsPublic: true, IsStatic: true } && property.GetIndexParameters().Length == 0:
                    return FromProperty(property, $"property {what}");
                case FieldInfo field when field.IsPublic && field.IsStatic:
                    return FromField(field, $"field {what}");
            }
        }

        if (methods.Count == 0)
        {
            MemberInfo member = members[0];
            string kind = member.MemberType.ToString().ToLowerInvariant();
            throw WrongShape($"{kind} {what} in {Where} is not public and static; expected a public static property, field or method");
        }

        return _target.Arguments is null ? FromMethodGroup(methods, what) : FromCall(methods, what);
    }

    private LoadedApplication FromProperty(PropertyInfo property, string what)
    {
        if (_target.Arguments is not null)
        {
            throw WrongShape($"{what} in {Where} is a property, not a method; drop the argument list");
        }

        MethodInfo getter = property.GetMethod!;
        object? value = Invoke($"the getter of {what}", () => getter.Invoke(null, BindingFlags.DoNotWrapExceptions, null, null, null));
        return FromValue(value, what);
    }

    private LoadedApplication FromField(FieldInfo field, string what)
    {
        if (_target.Arguments is not null)
        {
            throw WrongShape($"{what} in {Where} is a field, not a method; drop the argument list");
        }

        // Reading a static field runs the type initializer, which may throw.
        object? value = Invoke($"reading {what}", () => field.GetValue(null));
        return FromValue(value, what);
    }

    private LoadedApplication FromMethodGroup(List<MethodInfo> methods, string what)
    {
        List<MethodInfo> shaped = methods.FindAll(ApplicationShape.IsApplicationMethod);
        if (shaped.Count > 1)
        {
            throw new AppLoadException(AppLoadFailure.Ambiguous, _target.Text,
                $"\"{_target.Name}\" is ambiguous in {Where}: {what} has several application-shaped overloads: {string.Join(", ", shaped.Select(LiteralBinder.DescribeSignature))}");
        }

        if (shaped.Count == 1)
        {
            return ApplicationShape.FromMethod(shaped[0], $"static method {what} in {Where}");
        }

        MethodInfo? factory = methods.Find(m => m.GetParameters().Length == 0 && !m.ContainsGenericParameters);
        if (factory is null)
        {
            throw WrongShape(
                $"method {what} in {Where} takes parameters ({string.Join(", ", methods.Select(LiteralBinder.DescribeSignature))}) " +
                $"and is not of an application shape; give it literal arguments, {_target.Name}(...), or expected {ApplicationShape.Expected}");
        }

        string call = $"{what}()";
        object? value = Invoke(call, () => factory.Invoke(null, BindingFlags.DoNotWrapExceptions, null, null, null));
        return FromValue(value, call);
    }

    private LoadedApplication FromCall(List<MethodInfo> methods, string what)
    {
        BoundCall call = Bind(methods, what);
        string signature = $"{Normalize(call.Method.DeclaringType!.FullName)}.{LiteralBinder.DescribeSignature(call.Method)}";
        object? value = Invoke(signature, () => call.Method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, call.Arguments, null));
        return FromValue(value, signature);
    }

    private BoundCall Bind(IEnumerable<MethodBase> candidates, string what)
    {
        List<MethodBase> overloads = candidates.ToList();
        IReadOnlyList<object?> literals = _target.Arguments!;
        List<BoundCall> best = LiteralBinder.FindBest(overloads, literals);
        if (best.Count == 1)
        {
            return best[0];
        }

        string arguments = LiteralBinder.DescribeLiterals(literals);
        if (best.Count == 0)
        {
            throw WrongShape(
                $"no overload of {what} in {Where} accepts {arguments}; it has {string.Join(", ", overloads.Select(LiteralBinder.DescribeSignature))}");
        }

        throw new AppLoadException(AppLoadFailure.Ambiguous, _target.Text,
            $"the call {_target.Name}{arguments} is ambiguous in {Where}: it matches {string.Join(", ", best.Select(b => LiteralBinder.DescribeSignature(b.Method)))}");
    }

    private LoadedApplication FromValue(object? value, string what) =>
        ApplicationShape.FromValue(value, $"{what} in {Where}")
        ?? throw WrongShape($"{what} in {Where} returned {ApplicationShape.DescribeValue(value)}; expected {ApplicationShape.Expected}");

    /// <summary>Runs the app's own code; whatever it throws is the app's failure, not the loader's.</summary>
    private object? Invoke(string what, Func<object?> call)
    {
        try
        {
            return call();
        }
        catch (Exception e)
        {
            Exception cause = e;
            while (cause is TargetInvocationException or TypeInitializationException && cause.InnerException is not null)
            {
                cause = cause.InnerException;
            }

            throw new AppLoadException(AppLoadFailure.AppThrew, _target.Text,
                $"{what} in {Where} threw {cause.GetType().FullName}: {cause.Message}", cause);
        }
    }

    private AppLoadException WrongShape(string detail) => new(AppLoadFailure.WrongShape, _target.Text, detail);
}
