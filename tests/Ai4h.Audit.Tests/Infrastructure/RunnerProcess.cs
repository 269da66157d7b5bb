using System.Diagnostics;
using System.Text;

namespace Ai4h.Audit.Tests.Infrastructure;

/// <summary>
/// The Runner as its own operating-system process (the built Ai4h.Audit.Runner.dll), talking to the Api only through
/// PostgreSQL, so that tests can kill it with SIGKILL mid-evaluation and run several at once.
/// </summary>
public sealed class RunnerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private RunnerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
    }

    public int Id => _process.Id;

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Starts a Runner with the test database and these Runner settings (section Ai4h:Runner).</summary>
    public static RunnerProcess Start(ApiFixture fixture, IDictionary<string, string> runnerSettings)
    {
        var info = new ProcessStartInfo("dotnet", [BuiltProgram("Ai4h.Audit.Runner")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment[Domain.Record.DatabaseConnections.Variable] = fixture.Connections.Application;
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in runnerSettings) info.Environment[$"Ai4h__Runner__{key}"] = value;
        var runner = new RunnerProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the Runner"));
        runner._process.BeginOutputReadLine();
        runner._process.BeginErrorReadLine();
        return runner;
    }

    /// <summary>SIGKILL: no shutdown hooks, no chance to record anything, as when a machine dies.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    /// <summary>
    /// A program of the solution built beside the tests (same configuration), found from the solution folder;
    /// <paramref name="assembly"/> when its assembly name is not the project's (the CLI's is <c>ai4h</c>).
    /// </summary>
    public static string BuiltProgram(string project, string? assembly = null)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ai4h.Audit.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("cannot find the solution folder above " + AppContext.BaseDirectory);
        // The tests run from tests/Ai4h.Audit.Tests/bin/<Configuration>/<framework>/.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(dir.FullName, "src", project, "bin", configuration, "net10.0", (assembly ?? project) + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build {project} first", dll);
    }
}
