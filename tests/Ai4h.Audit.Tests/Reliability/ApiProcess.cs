using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Reliability;

/// <summary>
/// The Api as its own operating-system process (the built Ai4h.Audit.Api.dll on a free local port), so that a test
/// can kill it with SIGKILL mid-request, run two beside each other on one database, or keep it running while the
/// database under it restarts.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ApiProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Starts the Api on <paramref name="applicationConnection"/> and waits until <c>/health</c> answers.</summary>
    public static async Task<ApiProcess> StartAsync(string applicationConnection, TimeSpan? startTimeout = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [RunnerProcess.BuiltProgram("Ai4h.Audit.Api"), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment[Domain.Record.DatabaseConnections.Variable] = applicationConnection;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment.Remove("ASPNETCORE_URLS");
        // The tests' own host lowers the PBKDF2 count, which production refuses; these processes hash no passwords.
        info.Environment["Ai4h__Passwords__Iterations"] = "600000";
        // The ledger tests drive the sequencer themselves; no Api process of these tests competes for it.
        info.Environment["Ai4h__Ledger__SequencerEnabled"] = "false";
        var api = new ApiProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the Api"),
            new Uri($"http://127.0.0.1:{port}"));
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();
        try
        {
            await api.WaitUntilHealthyAsync(startTimeout ?? TimeSpan.FromSeconds(180));
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
        return api;
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the Api process exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the Api did not answer /health within {timeout.TotalSeconds} s:\n{Log}");
            await Task.Delay(250);
        }
    }

    /// <summary>A client of this process with an API key; a short-ish timeout so a dead server shows up as an error.</summary>
    public HttpClient Client(string apiKey, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, no chance to finish a request, as when a machine dies.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
