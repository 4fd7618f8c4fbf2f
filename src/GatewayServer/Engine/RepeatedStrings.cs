using System.Text;

namespace GatewayServer.Engine;

/// <summary>
/// The strings of the previous request on a connection, by position, handed out again when the
/// next request carries the same bytes there: a client sends the same header names and mostly the
/// same values on every request of a connection, and Kestrel reuses those strings for the same
/// reason (no allocation per request for what did not change). Bytes are read as Latin-1, so no
/// byte is lost; only short strings are kept, so an idle connection holds little.
/// </summary>
internal sealed class RepeatedStrings
{
    /// <summary>Longer strings are made anew each time rather than held by the connection.</summary>
    private const int MaxKeptLength = 256;

    /// <summary>How many positions are remembered; a request with more fields allocates for the rest.</summary>
    private const int MaxSlots = 64;

    private string?[] _strings = new string?[8];

    /// <summary>The string of <paramref name="bytes"/>: the one kept at <paramref name="slot"/> when it matches, else a new one (kept if short).</summary>
    public string Get(int slot, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        if ((uint)slot >= MaxSlots || bytes.Length > MaxKeptLength)
        {
            return Encoding.Latin1.GetString(bytes);
        }

        if (slot >= _strings.Length)
        {
            Array.Resize(ref _strings, Math.Min(MaxSlots, Math.Max(slot + 1, _strings.Length * 2)));
        }

        // Ascii.Equals is false for any byte past 0x7F: such a value is simply made anew.
        string? kept = _strings[slot];
        if (kept is not null && System.Text.Ascii.Equals(bytes, kept))
        {
            return kept;
        }

        return _strings[slot] = Encoding.Latin1.GetString(bytes);
    }
}
