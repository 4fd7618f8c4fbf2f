using System.Globalization;

namespace GatewayServer.Operations;

/// <summary>
/// One line a <c>gwserve ctl</c> client sends on the control socket: a command word, then its
/// argument or flags (<c>status --json</c>, <c>add 2</c>, <c>stop --graceful</c>).
/// </summary>
/// <param name="Command">The command word, e.g. <c>status</c>.</param>
/// <param name="Count">The N of <c>add N</c> and <c>remove N</c> (1 otherwise).</param>
/// <param name="Json">Whether the answer should be JSON.</param>
/// <param name="Graceful">For <c>stop</c>: drain (as TERM) rather than stop at once (as QUIT).</param>
public sealed record ControlRequest(string Command, int Count, bool Json, bool Graceful)
{
    /// <summary>Longest line accepted.</summary>
    public const int MaxLineLength = 256;

    /// <summary>The largest N of <c>add</c> and <c>remove</c>: the settings table's bound on <c>--workers</c>.</summary>
    public const int MaxCount = 1024;

    /// <summary>Every command word, as <c>gwserve ctl --help</c> lists them.</summary>
    public static readonly string[] Commands = ["status", "workers", "stats", "reload", "add", "remove", "reopen-logs", "stop"];

    /// <summary>Parses <paramref name="line"/>; throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static ControlRequest Parse(string line)
    {
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || !Commands.Contains(words[0]))
        {
            throw new FormatException($"unknown command '{(words.Length == 0 ? string.Empty : words[0])}'; expected one of {string.Join(", ", Commands)}");
        }

        string command = words[0];
        int count = 1;
        bool json = false;
        bool graceful = false;
        for (int i = 1; i < words.Length; i++)
        {
            string word = words[i];
            if (word == "--json" && command is "status" or "workers" or "stats")
            {
                json = true;
            }
            else if (word == "--graceful" && command == "stop")
            {
                graceful = true;
            }
            else if (command is "add" or "remove" && i == 1 && int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxCount)
            {
            }
            else
            {
                throw new FormatException(command is "add" or "remove"
                    ? $"{command} takes a number of workers from 1 to {MaxCount}"
                    : $"{command} does not take '{word}'");
            }
        }

        return command is "add" or "remove" && words.Length < 2
            ? throw new FormatException($"{command} takes a number of workers from 1 to {MaxCount}")
            : new ControlRequest(command, count, json, graceful);
    }
}
