namespace GatewayServer.Loading;

/// <summary>One token of an app target's <c>NAME</c>.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Column">The 1-based column of its first character in the whole target text, for error messages.</param>
/// <param name="Text">The token as written.</param>
/// <param name="Value">The literal's value for strings and numbers; otherwise <c>null</c>.</param>
internal readonly record struct TargetToken(TargetTokenKind Kind, int Column, string Text, object? Value);
