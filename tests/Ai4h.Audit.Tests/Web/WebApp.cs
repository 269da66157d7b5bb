using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ai4h.Audit.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Ai4h.Audit.Tests.Web;

/// <summary>
/// The Api as its own process (the built Ai4h.Audit.Api.dll) on a real port, on the test database, so that a real
/// browser (Debian's chromium, driven by Playwright) can use the web application it serves. Everything the tests set
/// up through the in-memory Api host is the same record.
/// </summary>
public sealed class WebApp : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private IPlaywright? _playwright;

    public string BaseUrl { get; }
    public IBrowser Browser { get; private set; } = null!;

    private WebApp(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    public static async Task<WebApp> StartAsync(ApiFixture fixture)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [RunnerProcess.BuiltProgram("Ai4h.Audit.Api")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment[Domain.Record.DatabaseConnections.Variable] = fixture.Connections.Application;
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["Ai4h__Passwords__Iterations"] = "1000";
        info.Environment["Ai4h__Ledger__SigningKeyFile"] = fixture.LedgerKeyFile;
        // The tests' own host sequences the ledger when a test asks; two sequencers would only wait for each other.
        info.Environment["Ai4h__Ledger__SequencerEnabled"] = "false";
        var app = new WebApp(Process.Start(info) ?? throw new InvalidOperationException("could not start the Api"), $"http://127.0.0.1:{port}");
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();

        using var http = new HttpClient();
        for (var i = 0; ; i++)
        {
            try
            {
                if ((await http.GetAsync($"{app.BaseUrl}/health")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (i < 120 && !app._process.HasExited)
            {
            }
            if (app._process.HasExited || i >= 120) throw new InvalidOperationException("the Api did not start:\n" + app.Log);
            await Task.Delay(250);
        }

        app._playwright = await Playwright.CreateAsync();
        app.Browser = await app._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        return app;
    }

    /// <summary>A fresh browser context (its own cookies) at a laptop's size, 1366×768.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        return page;
    }

    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>
    /// Where a journey saves its screenshot: docs/images/ in the repository (the README's screenshots) when
    /// <c>AI4H_WRITE_DOCS=1</c>, otherwise a temporary folder, so an ordinary run leaves the checkout untouched.
    /// </summary>
    public static string ScreenshotPath(string name)
    {
        string images;
        if (Environment.GetEnvironmentVariable("AI4H_WRITE_DOCS") == "1")
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ai4h.Audit.sln"))) dir = dir.Parent;
            images = Path.Combine(dir!.FullName, "docs", "images");
        }
        else images = Path.Combine(Path.GetTempPath(), "ai4h-screenshots");
        Directory.CreateDirectory(images);
        return Path.Combine(images, name);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
