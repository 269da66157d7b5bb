using System.Net.Http.Headers;
using System.Net.Http.Json;
using Ai4h.Audit.Api.Setup;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Alba;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ai4h.Audit.Tests.Infrastructure;

/// <summary>
/// One Api host for the whole test run, on the real PostgreSQL test database (<c>AI4H_TEST_DB</c>, default
/// database ai4h_test), migrated by the schema owner exactly as in production and reset before each test class.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string DefaultTestDb = "Host=localhost;Port=5432;Database=ai4h_test;Username=ai4h_app";

    public DatabaseConnections Connections { get; } =
        DatabaseConnections.From(Environment.GetEnvironmentVariable("AI4H_TEST_DB") ?? DefaultTestDb, null);

    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>The Api host's log output, captured on request (every level) for tests that look for secrets in it.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>The Runner, a second host in this process, exchanging messages with the Api only through PostgreSQL.</summary>
    public IHost Runner { get; private set; } = null!;
    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();
    public const long MaxUploadBytes = 256 * 1024;
    public string LedgerKeyFile { get; } = Path.Combine(Path.GetTempPath(), $"ai4h-test-ledger-{Guid.NewGuid():N}.key");

    public const string CountRequestEvents = "select count(*) from ai4h.mt_events where user_name is distinct from 'system:runner'";

    public async Task InitializeAsync()
    {
        await SetupCommands.MigrateAsync(Connections);
        Environment.SetEnvironmentVariable(DatabaseConnections.Variable, Connections.Application);
        Environment.SetEnvironmentVariable("Ai4h__MaxUploadBytes", MaxUploadBytes.ToString());
        // A signing key for this run only; the ledger tests drive the sequencer themselves, one round at a time.
        File.WriteAllText(LedgerKeyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        Environment.SetEnvironmentVariable("Ai4h__Ledger__SigningKeyFile", LedgerKeyFile);
        Environment.SetEnvironmentVariable("Ai4h__Ledger__SequencerEnabled", "false");
        Environment.SetEnvironmentVariable("Ai4h__Ledger__GapSettle", "00:00:01");
        // Tests only, for speed: production keeps 600,000 PBKDF2 iterations (and refuses to start below 100,000)
        // and locks signing for 30 minutes.
        Environment.SetEnvironmentVariable("Ai4h__Passwords__Iterations", "1000");
        Environment.SetEnvironmentVariable("Ai4h__SigningSecurity__LockFor", "00:00:03");
        // Each test's users are new, so a limit well above any test's password checks per user leaves the others
        // unaffected; Reliability/PasswordRateLimitTests reads it back and goes past it.
        Environment.SetEnvironmentVariable("Ai4h__RateLimits__Passwords__PermitLimit", "40");
        Environment.SetEnvironmentVariable("Ai4h__RateLimits__Passwords__Window", "01:00:00");
        Host = await AlbaHost.For<Program>(web => web
            .ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<CapturedLogs>(null, LogLevel.Trace))
            // The web pages call the Api through its own pipeline: the in-memory server has no socket for them to call.
            .ConfigureServices(services => services.AddSingleton(provider => new Ai4h.Audit.Api.Web.WebApiTransport(
                ((Microsoft.AspNetCore.TestHost.TestServer)provider.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()).CreateHandler()))));
        await StartInProcessRunnerAsync();
    }

    private async Task StartInProcessRunnerAsync()
    {
        Runner = Ai4h.Audit.Runner.RunnerHost.Build([]);
        await Runner.StartAsync();
    }

    /// <summary>
    /// Stops the in-process Runner so that only Runner processes a test starts take work; it is started again when
    /// the returned handle is disposed.
    /// </summary>
    public async Task<IAsyncDisposable> PauseInProcessRunnerAsync()
    {
        await Runner.StopAsync();
        Runner.Dispose();
        return new Resume(this);
    }

    private sealed class Resume(ApiFixture fixture) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await fixture.StartInProcessRunnerAsync();
    }

    public async Task DisposeAsync()
    {
        File.Delete(LedgerKeyFile);
        await Runner.StopAsync();
        Runner.Dispose();
        await Host.DisposeAsync();
    }

    /// <summary>
    /// Empties every table of the record (as the schema owner: the application role cannot), in one statement. Runners
    /// and Wolverine's agents keep polling their tables meanwhile, so a deadlock is possible: then it tries again.
    /// </summary>
    public async Task ResetAsync()
    {
        await using var conn = new NpgsqlConnection(Connections.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            do $$ declare tables text; begin
              select string_agg(format('%I.%I', schemaname, tablename), ', ') into tables from pg_tables
               where tableowner = current_user and schemaname not in ('pg_catalog', 'information_schema')
                 and tablename not like 'mt_doc_deadletter%';
              execute 'truncate ' || tables || ' restart identity cascade';
            end $$;
            """, conn);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await cmd.ExecuteNonQueryAsync();
                // The ledger keeps its tree in memory: without this it would go on from the last test's leaves, and a test
                // that verifies the ledger would fail or pass depending on which test ran before it.
                await Host.Services.GetRequiredService<Ai4h.Audit.Api.Ledger.LedgerService>().ReloadAsync(CancellationToken.None);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(200 * attempt);
            }
        }
    }

    /// <summary>Opens an account directly in the store (as the setup command does) and returns a client for it.</summary>
    public Task<TestUser> CreateUserAsync(string userName, params Role[] roles) => CreateUserInAsync(userName, "Test Org", roles);

    /// <summary>Opens an account in a given organisation (separation of duties compares organisations).</summary>
    public async Task<TestUser> CreateUserInAsync(string userName, string organisation, params Role[] roles)
    {
        var (registered, key) = Accounts.Open(userName, userName.ToUpperInvariant(), organisation, roles, "test");
        await using var session = Store.LightweightSession();
        session.LastModifiedBy = SetupCommands.SystemActor;
        session.Events.StartStream<UserAccount>(registered.UserId, registered, key.Issued);
        await session.SaveChangesAsync();
        return new TestUser(registered.UserId, userName, key.PlainText, key.Issued.KeyId, Client(key.PlainText));
    }

    public HttpClient Client(string? apiKey)
    {
        var client = Host.Server.CreateClient();
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>
    /// Counts the events that requests caused. The Runner's own verdicts are left out: it verifies each upload
    /// asynchronously, so they arrive whenever it gets to them, independently of the request under test.
    /// </summary>
    public Task<long> EventCountAsync() => ScalarAsync(CountRequestEvents);

    /// <summary>Runs SQL as the schema owner (what a database administrator could do behind the application's back) and returns the first value.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Connections.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync() ?? 0L);
    }
}

public sealed record TestUser(Guid UserId, string UserName, string ApiKey, Guid KeyId, HttpClient Http);

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}

/// <summary>Base for integration tests: a clean record and a data steward, per test.</summary>
[Collection(ApiCollection.Name)]
public abstract class ApiTest(ApiFixture fixture) : IAsyncLifetime
{
    protected ApiFixture Fixture { get; } = fixture;
    protected TestUser Steward { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        await Fixture.ResetAsync();
        Steward = await Fixture.CreateUserAsync("steward", Role.DataSteward);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;
}
