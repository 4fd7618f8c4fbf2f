namespace GatewayServer.Loading;

/// <summary>The kinds of token in the <c>NAME</c> part of an app target.</summary>
internal enum TargetTokenKind
{
    /// <summary>A C# identifier, including the keywords <c>true</c>, <c>false</c> and <c>null</c>.</summary>
    Identifier,

    /// <summary><c>.</c> between name segments.</summary>
    Dot,

    /// <summary><c>+</c> between a type and its nested type, as reflection spells it.</summary>
    Plus,

    /// <summary><c>(</c></summary>
    OpenParen,

    /// <summary><c>)</c></summary>
    CloseParen,

    /// <summary><c>,</c></summary>
    Comma,

    /// <summary>A double-quoted string literal; the value is unescaped.</summary>
    String,

    /// <summary>An integer literal; the value is an <see cref="int"/>, or a <see cref="long"/> when it does not fit.</summary>
    Integer,

    /// <summary>A literal with a fraction or an exponent; the value is a <see cref="double"/>.</summary>
    Double,

    /// <summary>The end of the text.</summary>
    End,
}
