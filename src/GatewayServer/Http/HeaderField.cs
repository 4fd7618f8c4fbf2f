namespace GatewayServer.Http;

/// <summary>One header line: where its name and its trimmed value sit in the request head.</summary>
public readonly record struct HeaderField(ByteRange Name, ByteRange Value);
