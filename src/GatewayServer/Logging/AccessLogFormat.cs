using System.Text;

namespace GatewayServer.Logging;

/// <summary>
/// A parsed <c>--access-logformat</c>: Gunicorn's <c>%(x)s</c> tokens between literal text, parsed
/// once at start-up so that formatting a line is a walk over a small array.
/// </summary>
internal sealed class AccessLogFormat
{
    /// <summary>Gunicorn's default, the Apache combined format.</summary>
    public const string Default = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"";

    private AccessLogFormat(AccessLogToken[] tokens)
    {
        Tokens = tokens;
    }

    public AccessLogToken[] Tokens { get; }

    /// <summary>Parses <paramref name="text"/>; <c>%%</c> is a literal <c>%</c>.</summary>
    /// <exception cref="FormatException">An unknown or unterminated token; the message says which and what is known.</exception>
    public static AccessLogFormat Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<AccessLogToken>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] != '%')
            {
                literal.Append(text[i++]);
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '%')
            {
                literal.Append('%');
                i += 2;
                continue;
            }

            int close = text.IndexOf(")s", i, StringComparison.Ordinal);
            if (i + 1 >= text.Length || text[i + 1] != '(' || close < 0)
            {
                throw new FormatException($"expected %(name)s at position {i + 1} (write %% for a literal %)");
            }

            if (literal.Length > 0)
            {
                tokens.Add(new AccessLogToken(AccessLogTokenKind.Literal, Encoding.UTF8.GetBytes(literal.ToString())));
                literal.Clear();
            }

            tokens.Add(ParseToken(text[(i + 2)..close]));
            i = close + 2;
        }

        if (literal.Length > 0)
        {
            tokens.Add(new AccessLogToken(AccessLogTokenKind.Literal, Encoding.UTF8.GetBytes(literal.ToString())));
        }

        return new AccessLogFormat([.. tokens]);
    }

    private static AccessLogToken ParseToken(string name)
    {
        if (name.Length > 3 && name[0] == '{' && name[^2] == '}' && name[^1] is 'i' or 'o')
        {
            string header = name[1..^2];
            if (header.Length == 0 || header.AsSpan().ContainsAny(" \t\"{}()"))
            {
                throw new FormatException($"%({name})s: expected a header name between the braces");
            }

            return new AccessLogToken(name[^1] == 'i' ? AccessLogTokenKind.RequestHeader : AccessLogTokenKind.ResponseHeader, Encoding.ASCII.GetBytes(header));
        }

        AccessLogTokenKind kind = name switch
        {
            "h" => AccessLogTokenKind.RemoteAddress,
            "l" => AccessLogTokenKind.Dash,
            "u" => AccessLogTokenKind.User,
            "t" => AccessLogTokenKind.Time,
            "r" => AccessLogTokenKind.RequestLine,
            "m" => AccessLogTokenKind.Method,
            "U" => AccessLogTokenKind.Path,
            "q" => AccessLogTokenKind.Query,
            "H" => AccessLogTokenKind.Protocol,
            "s" => AccessLogTokenKind.Status,
            "B" => AccessLogTokenKind.Bytes,
            "b" => AccessLogTokenKind.BytesOrDash,
            "f" => AccessLogTokenKind.Referer,
            "a" => AccessLogTokenKind.UserAgent,
            "T" => AccessLogTokenKind.Seconds,
            "M" => AccessLogTokenKind.Milliseconds,
            "D" => AccessLogTokenKind.Microseconds,
            "L" => AccessLogTokenKind.DecimalSeconds,
            "p" => AccessLogTokenKind.ProcessId,
            _ => throw new FormatException($"unknown token %({name})s; expected one of h l u t r m U q H s B b f a T M D L p {{header}}i {{header}}o"),
        };
        return new AccessLogToken(kind, []);
    }
}
