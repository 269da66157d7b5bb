using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Hosting;
using Marten;
using Npgsql;
using JasperFx.Resources;
using Wolverine.Runtime;

namespace Ai4h.Audit.Api.Setup;

/// <summary>
/// Operator commands run with database access, not over HTTP:
/// <c>migrate</c> (as the schema owner: create or update every table, then grant the application role its rights)
/// and <c>bootstrap-admin</c> (create the first administrator and print its key once).
/// </summary>
public static class SetupCommands
{
    public const string SystemActor = "system:setup";

    public static bool Handles(string verb) => verb is "migrate" or "bootstrap-admin" or "issue-key" or "ledger-key";

    public static async Task<int> RunAsync(string[] args)
    {
        var config = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args.Skip(1).ToArray()).Build();
        var connections = DatabaseConnections.From(config[DatabaseConnections.Variable], config[DatabaseConnections.OwnerUserVariable]);
        return args[0] switch
        {
            "migrate" => await MigrateAsync(connections),
            "bootstrap-admin" => await BootstrapAdminAsync(connections, config["key-file"]),
            "issue-key" => await IssueKeyAsync(connections, config["user"] ?? "admin", config["key-file"]),
            "ledger-key" => await LedgerKeyAsync(config["key-file"] ?? ".local/ledger.key", config["key-name"] ?? new Ledger.LedgerSettings().KeyName),
            _ => 2,
        };
    }

    public static async Task<int> MigrateAsync(DatabaseConnections connections)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddAuditRecord(connections, RecordProcess.Migrator, typeof(SetupCommands).Assembly);
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await host.Services.GetRequiredService<IWolverineRuntime>().Storage.Admin.MigrateAsync();
        // Every other stateful resource: the PostgreSQL queue tables that the Api and the Runner exchange work through.
        await host.SetupResources();
        await ApplicationRoleGrants.ApplyAsync(connections);
        Console.WriteLine($"Schema '{RecordStore.Schema}' is up to date; role '{connections.ApplicationRole}' may append and read events but not change or delete them.");
        return 0;
    }

    public static async Task<int> BootstrapAdminAsync(DatabaseConnections connections, string? keyFile)
    {
        using var store = DocumentStore.For(opts => RecordStore.Configure(opts, connections.Application, migrate: false));
        await using var session = store.LightweightSession();
        var admins = await session.Query<UserAccount>().ToListAsync();
        if (admins.Any(a => a.Roles.Contains(Role.Administrator)))
        {
            Console.WriteLine("An administrator already exists; its key is not shown again. An administrator can issue new keys (POST /api/users/{id}/api-keys).");
            return 0;
        }

        var (registered, key) = Accounts.Open("admin", "Platform Administrator", null, [Role.Administrator], "bootstrap");
        session.LastModifiedBy = SystemActor;
        session.Events.StartStream<UserAccount>(registered.UserId, registered, key.Issued);
        await session.SaveChangesAsync();

        Console.WriteLine($"Created administrator 'admin' ({registered.UserId}).");
        await HandOver(key.PlainText, keyFile);
        return 0;
    }

    /// <summary>
    /// Issues a new key to an existing user from the operator's console (for a lost administrator key). The event
    /// names the operator as <see cref="SystemActor"/>, so the record shows the key did not come through the Api.
    /// </summary>
    public static async Task<int> IssueKeyAsync(DatabaseConnections connections, string userName, string? keyFile)
    {
        using var store = DocumentStore.For(opts => RecordStore.Configure(opts, connections.Application, migrate: false));
        await using var session = store.LightweightSession();
        var account = await session.Query<UserAccount>().FirstOrDefaultAsync(u => u.UserName == userName);
        if (account is null)
        {
            Console.Error.WriteLine($"No user '{userName}'.");
            return 1;
        }
        var key = ApiKeys.Issue(account.Id, "issued by operator");
        session.LastModifiedBy = SystemActor;
        session.Events.Append(account.Id, key.Issued);
        await session.SaveChangesAsync();
        Console.WriteLine($"Issued a new key to '{userName}'.");
        await HandOver(key.PlainText, keyFile);
        return 0;
    }

    /// <summary>
    /// Creates the ledger's Ed25519 signing key in a file only its owner can read (unless one is there: a key is never
    /// replaced by accident, since every checkpoint signed with it must stay verifiable) and prints the verifier key.
    /// </summary>
    public static async Task<int> LedgerKeyAsync(string keyFile, string keyName)
    {
        if (File.Exists(keyFile))
        {
            var existing = new Domain.Ledger.CheckpointSigner(keyName, Convert.FromBase64String((await File.ReadAllTextAsync(keyFile)).Trim()));
            Console.WriteLine($"The ledger key in {keyFile} is kept. Verifier key: {existing.VerifierKey}");
            return 0;
        }
        var seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(seed));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Console.WriteLine($"Ledger signing key written to {keyFile}. Verifier key: {new Domain.Ledger.CheckpointSigner(keyName, seed).VerifierKey}");
        return 0;
    }

    /// <summary>Shows a new key once: written to a file only its owner can read, or else printed.</summary>
    private static async Task HandOver(string plainKey, string? keyFile)
    {
        if (keyFile is null)
        {
            Console.WriteLine("API key (shown once; store it now):");
            Console.WriteLine(plainKey);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        await File.WriteAllTextAsync(keyFile, plainKey);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Console.WriteLine($"API key written to {keyFile} (readable by you only); it is not shown again.");
    }
}
