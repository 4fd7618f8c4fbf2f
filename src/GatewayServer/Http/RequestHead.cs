namespace GatewayServer.Http;

/// <summary>
/// A parsed request line and header section. One instance lives as long as a connection and is
/// reset for each request: the head's bytes are copied here so that the connection's read buffer
/// is free for the body, and every field is a <see cref="ByteRange"/> into that copy. Both the copy
/// and the table of header fields are pooled arrays, given back while the connection is idle.
/// </summary>
public sealed class RequestHead
{
    private byte[] _bytes = [];
    /// <summary>Room for a browser's usual dozen or so headers, so most heads never need more.</summary>
    private const int InitialFieldCount = 16;

    /// <summary>The largest copy of a head taken from and returned to the shared pool.</summary>
    private const int MaxPooledSize = 64 * 1024;

    private HeaderField[] _fields = [];

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Length);

    public int Length { get; private set; }

    public ByteRange Method { get; internal set; }

    /// <summary>The request-target exactly as received.</summary>
    public ByteRange Target { get; internal set; }

    /// <summary>The path part of the target, still percent-encoded.</summary>
    public ByteRange Path { get; internal set; }

    /// <summary>The query after <c>?</c>, without it.</summary>
    public ByteRange Query { get; internal set; }

    /// <summary>The authority of an absolute-form or authority-form target.</summary>
    public ByteRange TargetAuthority { get; internal set; }

    public RequestTargetForm TargetForm { get; internal set; }

    public HttpVersion Version { get; internal set; }

    public int HeaderCount { get; private set; }

    /// <summary>The value of the single Host header, when there is one.</summary>
    public ByteRange Host { get; internal set; }

    public bool HasHost { get; internal set; }

    public BodyFraming Framing { get; internal set; }

    /// <summary>The declared body length; meaningful when <see cref="Framing"/> is <see cref="BodyFraming.ContentLength"/>.</summary>
    public long ContentLength { get; internal set; }

    /// <summary>Whether the client asked for <c>100 Continue</c> before sending the body.</summary>
    public bool ExpectContinue { get; internal set; }

    /// <summary>Whether the connection may carry another request after this one.</summary>
    public bool KeepAlive { get; internal set; }

    /// <summary>
    /// Whether the request may switch protocols (RFC 9110 section 7.8): HTTP/1.1, <c>Connection: upgrade</c>,
    /// an <c>Upgrade</c> header, and no body.
    /// </summary>
    public bool CanUpgrade { get; internal set; }

    public ReadOnlySpan<HeaderField> Headers => _fields.AsSpan(0, HeaderCount);

    public ReadOnlySpan<byte> this[ByteRange range] => _bytes.AsSpan(range.Start, range.Length);

    /// <summary>
    /// Forgets the previous request's fields before a new head's request line is taken. The
    /// parser fills the fields in line by line as the head arrives, and <see cref="Load"/> copies
    /// the bytes they point into once the head is complete.
    /// </summary>
    internal void Begin()
    {
        HeaderCount = 0;
        Method = Target = Path = Query = TargetAuthority = Host = ByteRange.Empty;
        TargetForm = RequestTargetForm.Origin;
        HasHost = false;
        Framing = BodyFraming.None;
        ContentLength = 0;
        ExpectContinue = false;
        KeepAlive = false;
        CanUpgrade = false;
    }

    /// <summary>
    /// Copies the raw head so the fields can point into it. The copy of a large head is not kept
    /// for the small ones that follow it on the connection, and one past <see cref="MaxPooledSize"/>
    /// is allocated for itself rather than rented: the shared pool would keep it for good.
    /// </summary>
    internal void Load(ReadOnlySpan<byte> head)
    {
        if (head.Length > _bytes.Length || (_bytes.Length > MaxPooledSize && head.Length <= MaxPooledSize))
        {
            ReturnBytes();
            int size = Math.Max(head.Length, 1024);
            _bytes = size <= MaxPooledSize ? System.Buffers.ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
        }

        head.CopyTo(_bytes);
        Length = head.Length;
    }

    /// <summary>
    /// Gives the copy of the head and the field table back to the pools once its request is done
    /// and the connection is idle; never while a head is arriving, whose fields are being filled in.
    /// </summary>
    public void Release()
    {
        HeaderField[] fields = _fields;
        ReturnBytes();
        _fields = [];
        Length = 0;
        HeaderCount = 0;

        if (fields.Length > 0)
        {
            System.Buffers.ArrayPool<HeaderField>.Shared.Return(fields);
        }
    }

    private void ReturnBytes()
    {
        byte[] bytes = _bytes;
        _bytes = [];
        if (bytes.Length is > 0 and <= MaxPooledSize)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    internal void AddHeader(HeaderField field)
    {
        if (HeaderCount == _fields.Length)
        {
            HeaderField[] larger = System.Buffers.ArrayPool<HeaderField>.Shared.Rent(Math.Max(_fields.Length * 2, InitialFieldCount));
            _fields.AsSpan(0, HeaderCount).CopyTo(larger);
            if (_fields.Length > 0)
            {
                System.Buffers.ArrayPool<HeaderField>.Shared.Return(_fields);
            }

            _fields = larger;
        }

        _fields[HeaderCount++] = field;
    }
}
