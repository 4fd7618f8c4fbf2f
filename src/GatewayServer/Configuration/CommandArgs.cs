using System.Text;

namespace GatewayServer.Configuration;

/// <summary>
/// Splits <c>GWSERVE_CMD_ARGS</c> into arguments the way a POSIX shell would (Python's
/// <c>shlex.split</c>, which Gunicorn applies to <c>GUNICORN_CMD_ARGS</c>): whitespace separates,
/// single quotes keep everything, double quotes keep all but <c>\"</c> and <c>\\</c>, a backslash
/// outside quotes escapes the next character.
/// </summary>
public static class CommandArgs
{
    public const string EnvironmentVariable = "GWSERVE_CMD_ARGS";

    /// <exception cref="SettingException">An unterminated quote or a trailing backslash.</exception>
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var args = new List<string>();
        var current = new StringBuilder();
        bool inArgument = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r':
                    if (inArgument)
                    {
                        args.Add(current.ToString());
                        current.Clear();
                        inArgument = false;
                    }

                    break;
                case '\'':
                    int close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new SettingException("unterminated single quote");
                    }

                    current.Append(text, i + 1, close - i - 1);
                    i = close;
                    inArgument = true;
                    break;
                case '"':
                    i = ReadDoubleQuoted(text, i + 1, current);
                    inArgument = true;
                    break;
                case '\\':
                    if (++i == text.Length)
                    {
                        throw new SettingException("backslash at the end");
                    }

                    current.Append(text[i]);
                    inArgument = true;
                    break;
                default:
                    current.Append(c);
                    inArgument = true;
                    break;
            }
        }

        if (inArgument)
        {
            args.Add(current.ToString());
        }

        return args;
    }

    /// <summary>Appends a double-quoted run starting after the quote; returns the closing quote's index.</summary>
    private static int ReadDoubleQuoted(string text, int start, StringBuilder current)
    {
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                return i;
            }

            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
            {
                c = text[++i];
            }

            current.Append(c);
        }

        throw new SettingException("unterminated double quote");
    }
}
