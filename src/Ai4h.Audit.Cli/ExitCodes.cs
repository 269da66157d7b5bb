namespace Ai4h.Audit.Cli;

/// <summary>What `ai4h` exits with; scripts branch on these, so a number never changes meaning (docs/cli.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The Api answered with an error (RFC 9457 problem details, HTTP 4xx or 5xx).</summary>
    public const int ApiError = 1;
    /// <summary>Bad arguments: unknown command or option, a missing or malformed value.</summary>
    public const int Usage = 2;
    /// <summary>The Api could not be reached: connection refused, name not resolved, no answer in time.</summary>
    public const int Unreachable = 3;
    /// <summary>A local file: no API key, a missing or unreadable key file, an input that cannot be read, an output that cannot be written.</summary>
    public const int LocalFile = 4;
    /// <summary>A check failed: a bundle or record that does not verify, or a recorded SHA-256 that differs from the local file's.</summary>
    public const int CheckFailed = 5;
    /// <summary>`evaluate --wait`: the evaluation failed, or did not finish within --timeout.</summary>
    public const int EvaluationFailed = 6;
    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Interrupted = 130;

    public const string Help = """
        Exit codes:
          0  success
          1  the Api refused or failed the request (its RFC 9457 problem details, on one line on stderr)
          2  bad arguments
          3  the Api cannot be reached (connection refused, unknown host, no answer in time)
          4  a local file: no API key, missing or unreadable key file, unreadable input, unwritable output
          5  a check failed: verify found the bundle or record altered, or a recorded SHA-256 differs from the file's
          6  evaluate --wait: the evaluation failed or did not finish within --timeout
          130 interrupted
        """;
}

/// <summary>A failure with its exit code and the one line the user reads on stderr.</summary>
public sealed class CliFailure(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
