using System.Runtime.CompilerServices;
using System.Text;

namespace GatewayServer.Logging;

/// <summary>
/// Lets a log call be written as an interpolated string and still log a constant template with
/// structured values: each hole becomes a property named after its expression
/// (<c>$"Worker {worker.Pid} ready"</c> logs the template <c>Worker {pid} ready</c> with pid set),
/// so log shippers see the same template for every occurrence.
/// </summary>
[InterpolatedStringHandler]
public ref struct LogTemplate
{
    private readonly StringBuilder _template;
    private readonly List<object?> _values;

    public LogTemplate(int literalLength, int formattedCount)
    {
        _template = new StringBuilder(literalLength + (formattedCount * 12));
        _values = new List<object?>(formattedCount);
    }

    public readonly void AppendLiteral(string text) => _template.Append(text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));

    public readonly void AppendFormatted<T>(T value, [CallerArgumentExpression(nameof(value))] string expression = "") =>
        AppendHole(value, null, expression);

    public readonly void AppendFormatted<T>(T value, string? format, [CallerArgumentExpression(nameof(value))] string expression = "") =>
        AppendHole(value, format, expression);

    /// <summary>The template and its values, in order.</summary>
    public readonly (string Template, object?[] Values) Build() => (_template.ToString(), [.. _values]);

    private readonly void AppendHole(object? value, string? format, string expression)
    {
        _template.Append('{').Append(PropertyName(expression, _values.Count));
        if (format is not null)
        {
            _template.Append(':').Append(format);
        }

        _template.Append('}');
        _values.Add(value);
    }

    /// <summary>The last identifier of a member chain, camelCased (<c>worker.Pid</c> gives <c>pid</c>); anything else gets a positional name.</summary>
    internal static string PropertyName(string expression, int index)
    {
        int start = expression.LastIndexOf('.') + 1;
        string name = expression[start..];
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return "value" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return "value" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // Property names are camelCase, like the constant templates elsewhere ({pid}, {url}).
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
