namespace Ai4h.Audit.Cli;

/// <summary>
/// <c>ai4h</c>: every failure ends in one line on stderr and an exit code from <see cref="ExitCodes"/> (docs/cli.md).
/// Not top-level statements: those would declare a global <c>Program</c> that clashes with the Api's in the tests.
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, CliConsole.System());
}
