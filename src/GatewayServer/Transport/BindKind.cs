namespace GatewayServer.Transport;

/// <summary>The kinds of address gwserve can listen on.</summary>
public enum BindKind
{
    Tcp,
    Unix,
    Descriptor,
}
