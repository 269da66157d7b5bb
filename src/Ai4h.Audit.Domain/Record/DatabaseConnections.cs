using Npgsql;

namespace Ai4h.Audit.Domain.Record;

/// <summary>
/// Where the record lives. One environment variable, <c>AI4H_DB</c>, names the database and the application role;
/// the schema owner that migrates is the same connection with <c>AI4H_DB_OWNER_USER</c> (default ai4h_owner).
/// Passwords come from ~/.pgpass (written by scripts/postgres.sh), never from the repository.
/// </summary>
public sealed record DatabaseConnections(string Application, string Owner)
{
    public const string Variable = "AI4H_DB";
    public const string OwnerUserVariable = "AI4H_DB_OWNER_USER";
    public const string Default = "Host=localhost;Port=5432;Database=ai4h;Username=ai4h_app";
    public const string DefaultOwnerUser = "ai4h_owner";

    public static DatabaseConnections FromEnvironment() =>
        From(Environment.GetEnvironmentVariable(Variable), Environment.GetEnvironmentVariable(OwnerUserVariable));

    public static DatabaseConnections From(string? application, string? ownerUser)
    {
        var app = new NpgsqlConnectionStringBuilder(string.IsNullOrWhiteSpace(application) ? Default : application);
        var owner = new NpgsqlConnectionStringBuilder(app.ConnectionString)
        {
            Username = string.IsNullOrWhiteSpace(ownerUser) ? DefaultOwnerUser : ownerUser,
            Password = null,
        };
        return new DatabaseConnections(app.ConnectionString, owner.ConnectionString);
    }

    public string ApplicationRole => new NpgsqlConnectionStringBuilder(Application).Username
        ?? throw new InvalidOperationException($"{Variable} must name the application role (Username=...)");
}
