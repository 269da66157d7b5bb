using System.CommandLine;

namespace Ai4h.Audit.Cli;

/// <summary>
/// The <c>ai4h</c> command tree and how a run ends: a result on stdout and exit code 0, or exactly one line on stderr
/// and the exit code that says what kind of failure it was (<see cref="ExitCodes"/>).
/// </summary>
public sealed class CliApp
{
    public const string DefaultApi = "http://127.0.0.1:5080";

    private readonly CliConsole _console;
    private HttpClient? _ownHttp;

    public Option<string> Api { get; } = new("--api")
    {
        Description = $"The Api's base URL. Default: $AI4H_API, else {DefaultApi}.",
        HelpName = "url",
        Recursive = true,
    };

    public Option<FileInfo> KeyFile { get; } = new("--key-file")
    {
        Description = "File holding your API key (ai4h_…); default: the key in $AI4H_API_KEY. The key itself is never an argument: " +
                      "command lines are visible to every user of the machine (ps, /proc) and stay in shell history.",
        HelpName = "file",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the Api's JSON as it was sent (for scripts) instead of tables.",
        Recursive = true,
    };

    public CliApp(CliConsole console) => _console = console;

    public CliConsole Console => _console;
    public TextWriter Out => _console.Out;

    /// <summary>Runs one command line and returns its exit code; never throws.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken ct = default)
    {
        var app = new CliApp(console);
        try
        {
            return await app.InvokeAsync(args, ct);
        }
        catch (CliFailure e)
        {
            console.Error.WriteLine("error: " + Problems.Flatten(e.Message));
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            console.Error.WriteLine("error: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            // Anything unforeseen still ends in one line, not a stack trace; the type says where to look.
            console.Error.WriteLine($"error: {e.GetType().Name}: {Problems.Flatten(e.Message)}");
            return ExitCodes.ApiError;
        }
        finally
        {
            app._ownHttp?.Dispose();
        }
    }

    private async Task<int> InvokeAsync(string[] args, CancellationToken ct)
    {
        var root = BuildRoot();
        var parsed = root.Parse(args);
        // Parse errors end in one line too (the default would print every error and the whole help).
        if (parsed.Errors.Count > 0)
        {
            var command = string.Join(' ', CommandPath(parsed.CommandResult));
            throw new CliFailure(ExitCodes.Usage, $"{parsed.Errors[0].Message} (see '{command} --help')");
        }
        var configuration = new InvocationConfiguration
        {
            Output = _console.Out,
            Error = _console.Error,
            EnableDefaultExceptionHandler = false,
        };
        return await parsed.InvokeAsync(configuration, ct);
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (System.CommandLine.Parsing.SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is System.CommandLine.Parsing.CommandResult c) names.Push(c.Command is RootCommand ? "ai4h" : c.Command.Name);
        return names;
    }

    public RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "ai4h: the command line of Ai4h.Audit, the system of record for assessing medical AI models. It talks to the Api " +
            "over HTTP with your API key (--key-file or $AI4H_API_KEY); `verify` works offline.\n\n" + ExitCodes.Help);
        root.Options.Add(Api);
        root.Options.Add(KeyFile);
        root.Options.Add(Json);
        root.Subcommands.Add(DatasetCommands.Build(this));
        root.Subcommands.Add(BenchmarkCommands.Build(this));
        root.Subcommands.Add(SubmissionCommands.Submit(this));
        root.Subcommands.Add(EvaluationCommands.Evaluate(this));
        root.Subcommands.Add(EvaluationCommands.Results(this));
        root.Subcommands.Add(SubmissionCommands.History(this));
        root.Subcommands.Add(ExportCommands.Dossier(this));
        root.Subcommands.Add(ExportCommands.Bundle(this));
        root.Subcommands.Add(VerifyCommand.Build(this));
        return root;
    }

    /// <summary>The Api client for this run: base URL from --api, $AI4H_API or the default; key read only when a request is sent.</summary>
    public ApiClient Client(ParseResult parsed)
    {
        var http = _console.Http ?? (_ownHttp ??= new HttpClient { Timeout = TimeSpan.FromMinutes(10) });
        var url = parsed.GetValue(Api) ?? _console.Environment("AI4H_API") ?? http.BaseAddress?.ToString() ?? DefaultApi;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
            throw new CliFailure(ExitCodes.Usage, $"'{url}' is not an http(s) URL (--api or AI4H_API)");
        var keyFile = parsed.GetValue(KeyFile);
        return new ApiClient(http, baseAddress, () => ReadKey(keyFile));
    }

    private string ReadKey(FileInfo? keyFile)
    {
        string key;
        if (keyFile is not null)
        {
            try { key = File.ReadAllText(keyFile.FullName).Trim(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var why = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : Problems.Flatten(e.Message);
                throw new CliFailure(ExitCodes.LocalFile, $"cannot read the key file '{keyFile}': {why}");
            }
            if (key.Length == 0) throw new CliFailure(ExitCodes.LocalFile, $"the key file '{keyFile}' is empty");
        }
        else
        {
            key = _console.Environment("AI4H_API_KEY")?.Trim() ?? "";
            if (key.Length == 0) throw new CliFailure(ExitCodes.LocalFile, "no API key: pass --key-file <file> or set AI4H_API_KEY");
        }
        if (key.Any(char.IsWhiteSpace)) throw new CliFailure(ExitCodes.LocalFile, "the API key contains white space; the key file should hold the key alone");
        return key;
    }

    /// <summary>Reads an input file, failing with exit code 4 and one line when it cannot.</summary>
    public static byte[] ReadInput(FileInfo file, string what)
    {
        try { return File.ReadAllBytes(file.FullName); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : Problems.Flatten(e.Message);
            throw new CliFailure(ExitCodes.LocalFile, $"cannot read the {what} '{file}': {why}");
        }
    }

    /// <summary>Writes an output file, failing with exit code 4 and one line when it cannot.</summary>
    public static async Task WriteOutputAsync(FileInfo file, byte[] bytes, CancellationToken ct)
    {
        try { await File.WriteAllBytesAsync(file.FullName, bytes, ct); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure(ExitCodes.LocalFile, $"cannot write '{file}': {Problems.Flatten(e.Message)}");
        }
    }

    /// <summary>Prints the Api's JSON unchanged (what <c>--json</c> promises scripts).</summary>
    public int PrintJson(ApiResponse response)
    {
        Out.WriteLine(response.Text);
        return ExitCodes.Ok;
    }
}
