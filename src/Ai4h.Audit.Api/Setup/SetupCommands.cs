using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using JasperFx;
using Marten;
using Npgsql;
using Wolverine;
using Wolverine.Marten;
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

    public static bool Handles(string verb) => verb is "migrate" or "bootstrap-admin";

    public static async Task<int> RunAsync(string[] args)
    {
        var config = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args.Skip(1).ToArray()).Build();
        var connections = DatabaseConnections.From(config[DatabaseConnections.Variable], config[DatabaseConnections.OwnerUserVariable]);
        return args[0] switch
        {
            "migrate" => await MigrateAsync(connections),
            "bootstrap-admin" => await BootstrapAdminAsync(connections, config["key-file"]),
            _ => 2,
        };
    }

    public static async Task<int> MigrateAsync(DatabaseConnections connections)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMarten(opts => RecordStore.Configure(opts, connections.Owner, migrate: true))
            .IntegrateWithWolverine(w => w.AutoCreate = AutoCreate.CreateOrUpdate);
        builder.UseWolverine(opts =>
        {
            opts.UseRuntimeCompilation();
            opts.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;
            opts.Durability.Mode = DurabilityMode.MediatorOnly;
        });
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await host.Services.GetRequiredService<IWolverineRuntime>().Storage.Admin.MigrateAsync();
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

        if (keyFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
            await File.WriteAllTextAsync(keyFile, key.PlainText);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Console.WriteLine($"Created administrator 'admin' ({registered.UserId}). API key (shown once):");
        Console.WriteLine(key.PlainText);
        return 0;
    }
}
