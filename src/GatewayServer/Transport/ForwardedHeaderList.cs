namespace GatewayServer.Transport;

/// <summary>The text form of <see cref="ForwardedHeaders"/>: header names separated by commas, or <c>none</c>.</summary>
public static class ForwardedHeaderList
{
    private static readonly (string Name, ForwardedHeaders Header)[] Names =
    [
        ("x-forwarded-for", ForwardedHeaders.XForwardedFor),
        ("x-forwarded-proto", ForwardedHeaders.XForwardedProto),
        ("x-forwarded-host", ForwardedHeaders.XForwardedHost),
        ("x-forwarded-prefix", ForwardedHeaders.XForwardedPrefix),
        ("forwarded", ForwardedHeaders.Forwarded),
    ];

    /// <summary>Every name <see cref="Parse"/> knows, for messages.</summary>
    public static string Known => "none, or any of x-forwarded-for, x-forwarded-proto, x-forwarded-host, x-forwarded-prefix, forwarded";

    /// <summary>Parses <c>x-forwarded-for,x-forwarded-proto</c> (any case, spaces allowed); <c>none</c> or an empty text is <see cref="ForwardedHeaders.None"/>.</summary>
    /// <exception cref="FormatException">A name is not one of <see cref="Known"/>.</exception>
    public static ForwardedHeaders Parse(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return ForwardedHeaders.None;
        }

        ForwardedHeaders headers = ForwardedHeaders.None;
        foreach (string entry in trimmed.Split(',', StringSplitOptions.TrimEntries))
        {
            headers |= Find(entry) ?? throw new FormatException(entry.Length == 0 ? "an empty header name" : $"'{entry}' is not a proxy header gwserve reads");
        }

        return headers;
    }

    /// <summary>The names, comma-separated, in a fixed order; <c>none</c> for none.</summary>
    public static string Format(ForwardedHeaders headers)
    {
        var names = new List<string>();
        foreach ((string name, ForwardedHeaders header) in Names)
        {
            if ((headers & header) != 0)
            {
                names.Add(name);
            }
        }

        return names.Count == 0 ? "none" : string.Join(",", names);
    }

    private static ForwardedHeaders? Find(string name)
    {
        foreach ((string known, ForwardedHeaders header) in Names)
        {
            if (known.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return header;
            }
        }

        return null;
    }
}
