namespace GatewayServer.Transport;

/// <summary>A listening socket passed by systemd: its descriptor and its name (<c>FileDescriptorName=</c>, or <c>unknown</c>).</summary>
public sealed record ActivatedSocket(int Descriptor, string Name);
