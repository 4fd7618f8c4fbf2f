using System.Globalization;
using System.Text;

namespace GatewayServer.Loading;

/// <summary>
/// Splits the <c>NAME</c> part of an app target into tokens. Hand-written and deliberately small:
/// the target comes from a command line or config file, and anything beyond names and literals
/// (expressions, casts, lambdas) is refused rather than evaluated.
/// </summary>
internal sealed class TargetTokenizer
{
    private readonly string _source;
    private int _position;

    /// <param name="targetText">The whole target, for error messages.</param>
    /// <param name="offset">Where <c>NAME</c> starts in <paramref name="targetText"/>, so columns point into the whole target.</param>
    public TargetTokenizer(string targetText, int offset)
    {
        _source = targetText;
        _position = offset;
    }

    /// <summary>Reads the next token; at the end it keeps returning <see cref="TargetTokenKind.End"/>.</summary>
    public TargetToken Next()
    {
        while (_position < _source.Length && char.IsWhiteSpace(_source[_position]))
        {
            _position++;
        }

        int start = _position;
        if (start >= _source.Length)
        {
            return new TargetToken(TargetTokenKind.End, start + 1, "", null);
        }

        char c = _source[start];
        switch (c)
        {
            case '.': return Single(TargetTokenKind.Dot);
            case '(': return Single(TargetTokenKind.OpenParen);
            case ')': return Single(TargetTokenKind.CloseParen);
            case ',': return Single(TargetTokenKind.Comma);
            case '"': return ReadString();
        }

        if (char.IsAsciiDigit(c) || ((c == '-' || c == '+') && start + 1 < _source.Length && char.IsAsciiDigit(_source[start + 1])))
        {
            return ReadNumber();
        }

        if (c == '+')
        {
            return Single(TargetTokenKind.Plus);
        }

        if (c == '_' || char.IsLetter(c))
        {
            while (_position < _source.Length && IsIdentifierPart(_source[_position]))
            {
                _position++;
            }

            return new TargetToken(TargetTokenKind.Identifier, start + 1, _source[start.._position], null);
        }

        throw Error($"unexpected character '{c}' at column {start + 1}");
    }

    /// <summary>An <see cref="AppLoadFailure.InvalidTarget"/> error about this target.</summary>
    public AppLoadException Error(string detail) =>
        new(AppLoadFailure.InvalidTarget, _source, detail);

    private static bool IsIdentifierPart(char c) => c == '_' || char.IsLetterOrDigit(c);

    private TargetToken Single(TargetTokenKind kind)
    {
        int start = _position++;
        return new TargetToken(kind, start + 1, _source.Substring(start, 1), null);
    }

    // C# regular string literal: the escapes a config author is likely to need, nothing verbatim or interpolated.
    private TargetToken ReadString()
    {
        int start = _position++;
        var value = new StringBuilder();
        while (_position < _source.Length)
        {
            char c = _source[_position++];
            if (c == '"')
            {
                return new TargetToken(TargetTokenKind.String, start + 1, _source[start.._position], value.ToString());
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            if (_position >= _source.Length)
            {
                break;
            }

            int escapeColumn = _position;
            char escape = _source[_position++];
            switch (escape)
            {
                case '"': value.Append('"'); break;
                case '\\': value.Append('\\'); break;
                case '\'': value.Append('\''); break;
                case '0': value.Append('\0'); break;
                case 'a': value.Append('\a'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case 't': value.Append('\t'); break;
                case 'v': value.Append('\v'); break;
                case 'u':
                    if (_position + 4 > _source.Length
                        || !ushort.TryParse(_source.AsSpan(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
                    {
                        throw Error($"invalid \\u escape at column {escapeColumn}: expected four hex digits");
                    }

                    value.Append((char)code);
                    _position += 4;
                    break;
                default:
                    throw Error($"unsupported escape '\\{escape}' at column {escapeColumn}");
            }
        }

        throw Error($"unterminated string literal starting at column {start + 1}");
    }

    private TargetToken ReadNumber()
    {
        int start = _position;
        if (_source[_position] is '-' or '+')
        {
            _position++;
        }

        SkipDigits();
        bool isDouble = false;
        if (_position + 1 < _source.Length && _source[_position] == '.' && char.IsAsciiDigit(_source[_position + 1]))
        {
            isDouble = true;
            _position++;
            SkipDigits();
        }

        if (_position < _source.Length && _source[_position] is 'e' or 'E')
        {
            int exponent = _position + 1;
            if (exponent < _source.Length && _source[exponent] is '-' or '+')
            {
                exponent++;
            }

            if (exponent < _source.Length && char.IsAsciiDigit(_source[exponent]))
            {
                isDouble = true;
                _position = exponent;
                SkipDigits();
            }
        }

        // "3L", "1.5m", "0x1F": C# has them, this grammar does not; say so instead of misreading.
        if (_position < _source.Length && IsIdentifierPart(_source[_position]))
        {
            throw Error($"invalid number at column {start + 1}: only plain decimal integers and doubles are allowed");
        }

        string text = _source[start.._position];
        if (isDouble)
        {
            double d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (double.IsInfinity(d))
            {
                throw Error($"number {text} at column {start + 1} is out of range");
            }

            return new TargetToken(TargetTokenKind.Double, start + 1, text, d);
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i))
        {
            return new TargetToken(TargetTokenKind.Integer, start + 1, text, i);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return new TargetToken(TargetTokenKind.Integer, start + 1, text, l);
        }

        throw Error($"integer {text} at column {start + 1} is out of range");
    }

    private void SkipDigits()
    {
        while (_position < _source.Length && char.IsAsciiDigit(_source[_position]))
        {
            _position++;
        }
    }
}
