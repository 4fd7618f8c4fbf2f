namespace GatewayServer.Loading;

/// <summary>
/// Parses the <c>NAME</c> part of an app target:
/// <code>
/// name      = segment { ("." | "+") segment } [ "(" [ literal { "," literal } ] ")" ]
/// literal   = string | integer | double | "true" | "false" | "null"
/// </code>
/// Nothing else is accepted: a target is configuration, not code.
/// </summary>
internal static class TargetNameParser
{
    /// <summary>Parses <c>NAME</c>, which starts at <paramref name="offset"/> in <paramref name="targetText"/>.</summary>
    /// <returns>The dotted name, and the call's arguments or <c>null</c> when there is no argument list.</returns>
    public static (string Name, object?[]? Arguments) Parse(string targetText, int offset)
    {
        var tokens = new TargetTokenizer(targetText, offset);
        TargetToken token = tokens.Next();
        if (token.Kind == TargetTokenKind.End)
        {
            throw tokens.Error("the name after ':' is empty");
        }

        string name = ParseName(tokens, ref token);
        if (token.Kind == TargetTokenKind.End)
        {
            return (name, null);
        }

        if (token.Kind != TargetTokenKind.OpenParen)
        {
            throw tokens.Error($"unexpected {Describe(token)} at column {token.Column}; expected '.', '(' or the end of the target");
        }

        var arguments = new List<object?>();
        token = tokens.Next();
        if (token.Kind != TargetTokenKind.CloseParen)
        {
            while (true)
            {
                arguments.Add(ParseLiteral(tokens, token));
                token = tokens.Next();
                if (token.Kind == TargetTokenKind.CloseParen)
                {
                    break;
                }

                if (token.Kind != TargetTokenKind.Comma)
                {
                    throw tokens.Error($"unexpected {Describe(token)} at column {token.Column}; expected ',' or ')' after argument {arguments.Count}");
                }

                token = tokens.Next();
            }
        }

        token = tokens.Next();
        if (token.Kind != TargetTokenKind.End)
        {
            throw tokens.Error($"unexpected {Describe(token)} at column {token.Column} after the argument list");
        }

        return (name, arguments.ToArray());
    }

    private static string ParseName(TargetTokenizer tokens, ref TargetToken token)
    {
        if (token.Kind != TargetTokenKind.Identifier)
        {
            throw tokens.Error($"unexpected {Describe(token)} at column {token.Column}; expected a type or member name");
        }

        string name = token.Text;
        token = tokens.Next();
        while (token.Kind is TargetTokenKind.Dot or TargetTokenKind.Plus)
        {
            string separator = token.Text;
            token = tokens.Next();
            if (token.Kind != TargetTokenKind.Identifier)
            {
                throw tokens.Error($"unexpected {Describe(token)} at column {token.Column}; expected a name after '{separator}'");
            }

            name = name + separator + token.Text;
            token = tokens.Next();
        }

        return name;
    }

    private static object? ParseLiteral(TargetTokenizer tokens, TargetToken token)
    {
        switch (token.Kind)
        {
            case TargetTokenKind.String:
            case TargetTokenKind.Integer:
            case TargetTokenKind.Double:
                return token.Value;
            case TargetTokenKind.Identifier when token.Text == "true":
                return true;
            case TargetTokenKind.Identifier when token.Text == "false":
                return false;
            case TargetTokenKind.Identifier when token.Text == "null":
                return null;
            default:
                throw tokens.Error(
                    $"unsupported argument {Describe(token)} at column {token.Column}: only string, number, true, false and null literals are allowed");
        }
    }

    private static string Describe(TargetToken token) =>
        token.Kind == TargetTokenKind.End ? "end of target" : $"'{token.Text}'";
}
