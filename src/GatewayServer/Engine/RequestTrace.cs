using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Text;
using GatewayServer.Http;
using GatewayServer.Logging;

namespace GatewayServer.Engine;

/// <summary>
/// The per-connection bookkeeping behind the request id and the access log: the id of the
/// current request, when it started, and the one call into <see cref="IAccessLog"/> after its
/// response. A connection has none (null) when both are off, so they cost nothing then.
/// </summary>
internal sealed class RequestTrace
{
    public const int MaxRequestIdLength = 128;

    /// <summary>Random per process, so ids from different workers and restarts do not collide.</summary>
    private static readonly ulong ProcessPrefix = (ulong)Random.Shared.NextInt64();
    private static readonly SearchValues<byte> RequestIdBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:@+/="u8);

    private static long s_counter;

    private readonly EngineContext _context;
    private readonly byte[] _requestId;
    private int _requestIdLength;
    private string? _requestIdText;
    private long _start;
    private int _errorStatus;

    private RequestTrace(EngineContext context)
    {
        _context = context;
        _requestId = context.RequestIds == RequestIdMode.Off ? [] : new byte[MaxRequestIdLength];
    }

    /// <summary>The id of the current request (ASCII), empty when request ids are off.</summary>
    public ReadOnlySpan<byte> RequestId => _requestId.AsSpan(0, _requestIdLength);

    /// <summary>The id as the environ's <c>gateway.request_id</c>; null when request ids are off.</summary>
    public string? RequestIdText => _requestIdLength == 0 ? null : _requestIdText ??= Encoding.ASCII.GetString(RequestId);

    public static RequestTrace? Create(EngineContext context) =>
        context.AccessLog is null && context.RequestIds == RequestIdMode.Off ? null : new RequestTrace(context);

    /// <summary>A request head was read at <paramref name="startedAt"/> (<see cref="EngineContext.Time"/>'s timestamp): note it and settle the id.</summary>
    public void Begin(RequestHead head, long startedAt)
    {
        _start = startedAt;
        _errorStatus = 0;
        _requestIdText = null;
        _requestIdLength = 0;
        if (_context.RequestIds == RequestIdMode.Off)
        {
            return;
        }

        if (_context.RequestIds == RequestIdMode.Trust && TryTakeClientId(head))
        {
            return;
        }

        // 16 hex digits of the process prefix, 16 of a counter: unique, sortable within a worker.
        Span<byte> id = _requestId;
        Utf8Formatter.TryFormat(ProcessPrefix, id, out int prefix, new StandardFormat('x', 16));
        Utf8Formatter.TryFormat((ulong)Interlocked.Increment(ref s_counter), id[prefix..], out int counter, new StandardFormat('x', 16));
        _requestIdLength = prefix + counter;
    }

    /// <summary>The server answered with an error page instead of the app's response.</summary>
    public void Failed(int status) => _errorStatus = status;

    /// <summary>The response was done at <paramref name="endedAt"/>: one access-log entry.</summary>
    public void End(RequestHead head, EndPoint? remote, HttpResponse response, long endedAt)
    {
        if (_context.AccessLog is not { } accessLog)
        {
            return;
        }

        accessLog.Log(new AccessLogEntry
        {
            Head = head,
            Remote = remote,
            Status = response.HeadWritten ? response.StatusCode : _errorStatus,
            Bytes = response.BodyLength,
            ResponseHeaders = response.Headers,
            StartTimestamp = _start,
            EndTimestamp = endedAt,
            RequestId = RequestId,
        });
    }

    private bool TryTakeClientId(RequestHead head)
    {
        foreach (HeaderField field in head.Headers)
        {
            if (Ascii.EqualsIgnoreCase(head[field.Name], "x-request-id"u8))
            {
                ReadOnlySpan<byte> value = head[field.Value];
                if (value.Length is 0 or > MaxRequestIdLength || value.ContainsAnyExcept(RequestIdBytes))
                {
                    return false;
                }

                value.CopyTo(_requestId);
                _requestIdLength = value.Length;
                return true;
            }
        }

        return false;
    }
}
