namespace GatewayServer.Loading;

/// <summary>
/// An app target could not be turned into an application. <see cref="Exception.Message"/> is a
/// single line that says what was looked for and where; <see cref="ExitCode"/> is the exit code
/// the process should end with.
/// </summary>
public sealed class AppLoadException : Exception
{
    /// <summary>Creates the exception for <paramref name="targetText"/>.</summary>
    /// <param name="failure">Why loading failed.</param>
    /// <param name="targetText">The target as the user gave it.</param>
    /// <param name="detail">What was looked for and where, without the target prefix.</param>
    /// <param name="innerException">What the app threw, for <see cref="AppLoadFailure.AppThrew"/>.</param>
    public AppLoadException(AppLoadFailure failure, string targetText, string detail, Exception? innerException = null)
        : base(OneLine($"app target \"{targetText}\": {detail}"), innerException)
    {
        Failure = failure;
        TargetText = targetText;
    }

    /// <summary>Why loading failed.</summary>
    public AppLoadFailure Failure { get; }

    /// <summary>The target as the user gave it.</summary>
    public string TargetText { get; }

    /// <summary>The process exit code for this failure.</summary>
    public int ExitCode => (int)Failure;

    /// <summary>
    /// Folds line breaks into spaces: the message goes into a log line and a terminal, where a
    /// multi-line exception message from the app would break the "one line per failure" promise.
    /// </summary>
    internal static string OneLine(string text)
    {
        if (text.AsSpan().IndexOfAny('\r', '\n') < 0)
        {
            return text;
        }

        return text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\r', ' ').Replace('\n', ' ');
    }
}
