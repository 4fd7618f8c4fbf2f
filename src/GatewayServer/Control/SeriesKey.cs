namespace GatewayServer.Control;

/// <summary>
/// The text that names one series: <c>name</c> or <c>name{label="value",...}</c> in Prometheus
/// syntax, restricted to what gwserve itself makes (no escapes, no spaces), so that a key can be
/// copied into the exposition as it is.
/// </summary>
public static class SeriesKey
{
    /// <summary>A series key for <paramref name="name"/> with label pairs (name, value, name, value, ...).</summary>
    public static string Of(string name, params string[] labels)
    {
        if (labels.Length == 0)
        {
            return name;
        }

        var text = new System.Text.StringBuilder(name).Append('{');
        for (int i = 0; i + 1 < labels.Length; i += 2)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(labels[i]).Append("=\"").Append(labels[i + 1]).Append('"');
        }

        return text.Append('}').ToString();
    }

    /// <summary>Whether <paramref name="key"/> is a name with optional labels whose values hold no quote, backslash, brace or space.</summary>
    public static bool IsValid(ReadOnlySpan<char> key)
    {
        int i = 0;
        if (!TakeName(key, ref i, allowColon: true))
        {
            return false;
        }

        if (i == key.Length)
        {
            return true;
        }

        if (key[i++] != '{' || key[^1] != '}')
        {
            return false;
        }

        int end = key.Length - 1;
        while (i < end)
        {
            if (!TakeName(key, ref i, allowColon: false) || i + 1 >= end || key[i] != '=' || key[i + 1] != '"')
            {
                return false;
            }

            i += 2;
            while (i < end && key[i] != '"')
            {
                if (key[i] is '\\' or '{' or '}' or ' ' or < ' ' or > '~')
                {
                    return false;
                }

                i++;
            }

            if (i >= end)
            {
                return false;
            }

            i++;
            if (i < end && (key[i++] != ',' || i == end))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TakeName(ReadOnlySpan<char> key, ref int i, bool allowColon)
    {
        int start = i;
        while (i < key.Length && (char.IsAsciiLetter(key[i]) || key[i] == '_' || (allowColon && key[i] == ':') || (i > start && char.IsAsciiDigit(key[i]))))
        {
            i++;
        }

        return i > start;
    }
}
