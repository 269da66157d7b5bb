using System.Diagnostics;
using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Tests.Reliability;

/// <summary>
/// A throwaway PostgreSQL cluster of this test's own (initdb into a temporary folder, a free port, its socket in that
/// folder), so that a test may crash and restart the database under a running Api and Runner without touching the
/// shared server. Its roles and database are made by scripts/postgres.sh, exactly as in production: the schema owner,
/// the application role and their passwords (kept in the cluster's own password file, not ~/.pgpass). As root the
/// server programs run as the postgres OS user, as PostgreSQL requires.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    public const string Database = "ai4h";

    private readonly string _bin;
    private readonly string _data;
    private bool _running;

    private PrivateCluster(string bin, string root, int port)
    {
        _bin = bin;
        Root = root;
        _data = Path.Combine(root, "data");
        Port = port;
        Connections = DatabaseConnections.From(
            $"Host=localhost;Port={port};Database={Database};Username=ai4h_app;Passfile={PasswordFile}", null);
    }

    /// <summary>The temporary folder: data directory, socket, server log and password file.</summary>
    public string Root { get; }

    public int Port { get; }

    public DatabaseConnections Connections { get; }

    private string PasswordFile => Path.Combine(Root, "pgpass");

    private string ServerLog => Path.Combine(Root, "server.log");

    private static bool IsRoot => Environment.UserName == "root";

    public string Log => File.Exists(ServerLog) ? File.ReadAllText(ServerLog) : "(no server log)";

    /// <summary>Creates, starts and provisions the cluster; fails with a clear message where PostgreSQL's server programs are missing.</summary>
    public static async Task<PrivateCluster> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderBy(b => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : new Version(0, 0))
                .LastOrDefault()
            : null;
        if (bin is null)
            throw new InvalidOperationException(
                "This test restarts a private PostgreSQL cluster and needs PostgreSQL's server programs (initdb, pg_ctl) under " +
                "/usr/lib/postgresql/<version>/bin, which are missing. Install Debian's postgresql (bash scripts/postgres.sh does, " +
                "and scripts/test.sh runs it) and run the tests again.");

        var root = Directory.CreateTempSubdirectory("ai4h-pg-").FullName;
        var cluster = new PrivateCluster(bin, root, ApiProcess.FreePort());
        try
        {
            if (IsRoot) await RunAsync("chown", ["postgres:postgres", root]);
            // Local socket connections trust the superuser (the folder is private); TCP asks every role its password.
            await cluster.ServerAsync("initdb", "-D", cluster._data, "-U", "postgres", "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync");
            await cluster.StartServerAsync();
            await RunAsync("bash", [Path.Combine(SolutionFolder(), "scripts", "postgres.sh"), Database], new Dictionary<string, string>
            {
                ["PGPORT"] = cluster.Port.ToString(),
                ["PGPASSFILE"] = cluster.PasswordFile,
                ["AI4H_PG_SOCKET_DIR"] = root,
            });
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Crashes the server (immediate shutdown: every backend is killed at once, no checkpoint, as if the database
    /// process died); it recovers from its write-ahead log at the next start.
    /// </summary>
    public async Task CrashAsync()
    {
        await ServerAsync("pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop");
        _running = false;
    }

    public async Task StartServerAsync()
    {
        await ServerAsync("pg_ctl", "-D", _data, "-l", ServerLog, "-w", "-t", "120",
            "-o", $"-p {Port} -k {Root} -c listen_addresses=localhost", "start");
        _running = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_running) await ServerAsync("pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private Task ServerAsync(string program, params string[] arguments) =>
        IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, program), .. arguments])
            : RunAsync(Path.Combine(_bin, program), arguments);

    private static async Task RunAsync(string program, string[] arguments, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // As root the server programs run as postgres, which may not read the test's working directory.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}{await errors}");
    }

    private static string SolutionFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ai4h.Audit.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the solution folder above " + AppContext.BaseDirectory);
    }
}
