namespace Ai4h.Audit.Cli;

/// <summary>
/// Where a run of <c>ai4h</c> reads and writes: the real console and environment in the program, captured writers and an
/// in-memory Api in tests.
/// </summary>
public sealed class CliConsole
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }

    /// <summary>Whether stderr is a terminal: then <c>evaluate --wait</c> draws a progress bar, else it prints plain lines.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Environment variables (AI4H_API, AI4H_API_KEY).</summary>
    public Func<string, string?> Environment { get; init; } = global::System.Environment.GetEnvironmentVariable;

    /// <summary>An HTTP client to use instead of a new one (tests pass the in-memory Api's client).</summary>
    public HttpClient? Http { get; init; }

    /// <summary>How often <c>evaluate --wait</c> asks the Api for progress.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public static CliConsole System() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        ErrorIsTerminal = !Console.IsErrorRedirected,
    };
}
