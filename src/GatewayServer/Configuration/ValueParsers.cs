using System.Globalization;
using GatewayServer.Transport;

namespace GatewayServer.Configuration;

/// <summary>The text forms setting values take, with the message each gives when the text is wrong.</summary>
public static class ValueParsers
{
    public static int Integer(string text, int minimum, int maximum)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            throw new SettingException($"expected an integer from {minimum} to {maximum}");
        }

        return value >= minimum && value <= maximum ? value : throw new SettingException($"expected an integer from {minimum} to {maximum}");
    }

    public static long Long(string text, long minimum)
    {
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) && value >= minimum
            ? value
            : throw new SettingException($"expected an integer of at least {minimum}");
    }

    /// <summary>Seconds as a number, fractions allowed (0.5).</summary>
    public static TimeSpan Seconds(string text, double minimum)
    {
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= minimum && seconds < 1e9
            ? TimeSpan.FromSeconds(seconds)
            : throw new SettingException($"expected a number of seconds of at least {minimum.ToString(CultureInfo.InvariantCulture)}");
    }

    public static string FormatSeconds(TimeSpan value) => value.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    public static bool Boolean(string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new SettingException("expected true or false"),
    };

    public static string FormatBoolean(bool value) => value ? "true" : "false";

    public static BindAddress Bind(string text)
    {
        try
        {
            return BindAddress.Parse(text);
        }
        catch (FormatException error)
        {
            throw new SettingException(error.Message);
        }
    }

    public static string OneOf(string text, params string[] choices)
    {
        foreach (string choice in choices)
        {
            if (string.Equals(choice, text, StringComparison.OrdinalIgnoreCase))
            {
                return choice;
            }
        }

        throw new SettingException("expected one of " + string.Join(", ", choices));
    }

    public static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Permission bits in octal (<c>660</c> or <c>0660</c>); empty means "not set" (-1).</summary>
    public static int OctalMode(string text)
    {
        if (text.Length == 0)
        {
            return -1;
        }

        int value = 0;
        foreach (char digit in text)
        {
            value = digit is >= '0' and <= '7' && value <= 0x1FF ? (value * 8) + (digit - '0') : int.MaxValue;
        }

        return value <= 0x1FF ? value : throw new SettingException("expected permission bits in octal from 000 to 777, e.g. 660");
    }

    public static string FormatOctalMode(int value) => value < 0 ? string.Empty : "0" + Convert.ToString(value, 8).PadLeft(3, '0');
}
