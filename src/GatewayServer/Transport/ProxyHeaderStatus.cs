namespace GatewayServer.Transport;

/// <summary>What <see cref="ProxyHeaderParser"/> made of the bytes at the start of a connection.</summary>
public enum ProxyHeaderStatus
{
    /// <summary>The bytes so far are the start of a header; more are needed.</summary>
    Incomplete,

    /// <summary>Not a PROXY protocol header, or a malformed one: the connection is closed.</summary>
    Invalid,

    /// <summary>A whole header.</summary>
    Complete,
}
