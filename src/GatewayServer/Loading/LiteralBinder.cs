using System.Globalization;
using System.Reflection;
using System.Text;

namespace GatewayServer.Loading;

/// <summary>
/// Picks the overload a factory call means, by arity and by whether each literal converts to the
/// parameter type. Deliberately simpler than C# overload resolution: an overload where more
/// literals match exactly wins; a tie is reported as ambiguous rather than guessed.
/// </summary>
internal static class LiteralBinder
{
    /// <summary>The best applicable overloads: none when nothing accepts the literals, several when it is ambiguous.</summary>
    public static List<BoundCall> FindBest(IEnumerable<MethodBase> candidates, IReadOnlyList<object?> literals)
    {
        var best = new List<BoundCall>();
        foreach (MethodBase candidate in candidates)
        {
            BoundCall? call = TryBind(candidate, literals);
            if (call is null)
            {
                continue;
            }

            int order = best.Count == 0 ? 1 : Compare(call, best[0]);
            if (order > 0)
            {
                best.Clear();
            }

            if (order >= 0)
            {
                best.Add(call);
            }
        }

        return best;
    }

    /// <summary>The literals' types as a C# reader would name them, e.g. <c>(string, int)</c>.</summary>
    public static string DescribeLiterals(IReadOnlyList<object?> literals)
    {
        var text = new StringBuilder("(");
        for (int i = 0; i < literals.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(literals[i] switch
            {
                null => "null",
                string => "string",
                bool => "bool",
                int => "int",
                long => "long",
                double => "double",
                var other => other.GetType().Name,
            });
        }

        return text.Append(')').ToString();
    }

    /// <summary>An overload's signature for messages, e.g. <c>Create(String, Int32)</c>.</summary>
    public static string DescribeSignature(MethodBase method)
    {
        var text = new StringBuilder(method.IsConstructor ? method.DeclaringType!.Name : method.Name).Append('(');
        ParameterInfo[] parameters = method.GetParameters();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            AppendTypeName(text, parameters[i].ParameterType);
        }

        return text.Append(')').ToString();
    }

    // IDictionary<String, Object> rather than reflection's IDictionary`2.
    private static void AppendTypeName(StringBuilder text, Type type)
    {
        if (!type.IsGenericType)
        {
            text.Append(type.Name);
            return;
        }

        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        text.Append(tick < 0 ? name : name[..tick]).Append('<');
        Type[] arguments = type.GetGenericArguments();
        for (int i = 0; i < arguments.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            AppendTypeName(text, arguments[i]);
        }

        text.Append('>');
    }

    private static int Compare(BoundCall a, BoundCall b)
    {
        if (a.ExactMatches != b.ExactMatches)
        {
            return a.ExactMatches > b.ExactMatches ? 1 : -1;
        }

        return b.DefaultedParameters.CompareTo(a.DefaultedParameters);
    }

    private static BoundCall? TryBind(MethodBase method, IReadOnlyList<object?> literals)
    {
        if (method.ContainsGenericParameters)
        {
            return null;
        }

        ParameterInfo[] parameters = method.GetParameters();
        if (literals.Count > parameters.Length)
        {
            return null;
        }

        var arguments = new object?[parameters.Length];
        int exact = 0;
        for (int i = 0; i < literals.Count; i++)
        {
            if (!TryConvert(literals[i], parameters[i].ParameterType, out arguments[i], out bool isExact))
            {
                return null;
            }

            exact += isExact ? 1 : 0;
        }

        // Left-out trailing parameters must be optional; reflection fills in Type.Missing with the default.
        for (int i = literals.Count; i < parameters.Length; i++)
        {
            if (!parameters[i].IsOptional)
            {
                return null;
            }

            arguments[i] = Type.Missing;
        }

        return new BoundCall(method, arguments, exact, parameters.Length - literals.Count);
    }

    private static bool TryConvert(object? literal, Type parameterType, out object? value, out bool exact)
    {
        value = literal;
        exact = false;
        if (parameterType.IsByRef || parameterType.IsPointer)
        {
            return false;
        }

        if (literal is null)
        {
            return !parameterType.IsValueType || Nullable.GetUnderlyingType(parameterType) is not null;
        }

        Type target = Nullable.GetUnderlyingType(parameterType) ?? parameterType;
        if (literal.GetType() == target)
        {
            exact = true;
            return true;
        }

        if (literal is int or long && IsNumeric(target))
        {
            return TryChangeType(literal, target, out value);
        }

        // A double does not silently become an integer; it may narrow to float or widen to decimal.
        if (literal is double d && (target == typeof(float) || target == typeof(decimal)))
        {
            return (target != typeof(float) || !float.IsInfinity((float)d)) && TryChangeType(literal, target, out value);
        }

        // object, IComparable, ValueType...: the literal goes in as it is.
        return parameterType.IsInstanceOfType(literal);
    }

    private static bool IsNumeric(Type type) =>
        !type.IsEnum && Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.Decimal;

    private static bool TryChangeType(object literal, Type target, out object? value)
    {
        try
        {
            value = Convert.ChangeType(literal, target, CultureInfo.InvariantCulture);
            return true;
        }
        catch (OverflowException)
        {
            value = null;
            return false;
        }
    }
}
