namespace GatewayServer.Logging;

/// <summary>One piece of a parsed access-log format: literal text, or a Gunicorn <c>%(x)s</c> token.</summary>
internal readonly record struct AccessLogToken(AccessLogTokenKind Kind, byte[] Text);
