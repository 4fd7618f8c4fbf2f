namespace GatewayServer.Http;

/// <summary>A run of bytes inside <see cref="RequestHead.Bytes"/>; keeps parsing free of allocations.</summary>
public readonly record struct ByteRange(int Start, int Length)
{
    public static readonly ByteRange Empty = new(0, 0);

    public bool IsEmpty => Length == 0;
}
