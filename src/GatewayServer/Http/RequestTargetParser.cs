namespace GatewayServer.Http;

/// <summary>Splits a request-target into its form, path and query (RFC 9112 section 3.2).</summary>
internal static class RequestTargetParser
{
    /// <summary>
    /// Fills in the target's form, path, query and authority from <paramref name="requestLine"/>,
    /// the first line of the head (so its offsets are the head's), where <see cref="RequestHead.Method"/>
    /// and <see cref="RequestHead.Target"/> already point.
    /// </summary>
    public static void Parse(RequestHead head, ReadOnlySpan<byte> requestLine)
    {
        ReadOnlySpan<byte> target = requestLine.Slice(head.Target.Start, head.Target.Length);
        ReadOnlySpan<byte> method = requestLine.Slice(head.Method.Start, head.Method.Length);
        bool isConnect = method.SequenceEqual("CONNECT"u8);
        int start = head.Target.Start;

        if (target[0] == (byte)'/' && !isConnect)
        {
            head.TargetForm = RequestTargetForm.Origin;
            SplitPathAndQuery(head, requestLine, start, target.Length);
            return;
        }

        if (target.Length == 1 && target[0] == (byte)'*')
        {
            if (!method.SequenceEqual("OPTIONS"u8))
            {
                RequestRejection.Throw(RequestRejectionReason.InvalidRequestTarget);
            }

            head.TargetForm = RequestTargetForm.Asterisk;
            head.Path = new ByteRange(start, 1);
            return;
        }

        if (isConnect)
        {
            // authority-form is host:port and nothing else.
            if (!AuthoritySyntax.IsValid(target, allowEmpty: false, requirePort: true))
            {
                RequestRejection.Throw(RequestRejectionReason.InvalidRequestTarget);
            }

            head.TargetForm = RequestTargetForm.Authority;
            head.TargetAuthority = head.Target;
            return;
        }

        ParseAbsoluteForm(head, requestLine, target, start);
    }

    private static void ParseAbsoluteForm(RequestHead head, ReadOnlySpan<byte> requestLine, ReadOnlySpan<byte> target, int start)
    {
        int schemeEnd = target.IndexOf("://"u8);
        if (schemeEnd <= 0 || !char.IsAsciiLetter((char)target[0]) || !IsScheme(target[..schemeEnd]))
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidRequestTarget);
        }

        int authorityStart = schemeEnd + 3;
        int authorityLength = target[authorityStart..].IndexOfAny((byte)'/', (byte)'?');
        if (authorityLength < 0)
        {
            authorityLength = target.Length - authorityStart;
        }

        // RFC 9110 section 4.2.1: an http URI with an empty host is invalid; userinfo is refused too.
        if (!AuthoritySyntax.IsValid(target.Slice(authorityStart, authorityLength), allowEmpty: false, requirePort: false))
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidRequestTarget);
        }

        head.TargetForm = RequestTargetForm.Absolute;
        head.TargetAuthority = new ByteRange(start + authorityStart, authorityLength);
        int pathStart = authorityStart + authorityLength;
        SplitPathAndQuery(head, requestLine, start + pathStart, target.Length - pathStart);
    }

    private static bool IsScheme(ReadOnlySpan<byte> scheme)
    {
        foreach (byte b in scheme)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not (byte)'+' and not (byte)'-' and not (byte)'.')
            {
                return false;
            }
        }

        return true;
    }

    private static void SplitPathAndQuery(RequestHead head, ReadOnlySpan<byte> requestLine, int start, int length)
    {
        ReadOnlySpan<byte> pathAndQuery = requestLine.Slice(start, length);
        int question = pathAndQuery.IndexOf((byte)'?');
        if (question < 0)
        {
            head.Path = new ByteRange(start, length);
            return;
        }

        head.Path = new ByteRange(start, question);
        head.Query = new ByteRange(start + question + 1, length - question - 1);
    }
}
