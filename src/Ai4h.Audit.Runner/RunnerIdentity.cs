using System.Reflection;
using Marten;

namespace Ai4h.Audit.Runner;

/// <summary>How the Runner appears in the record: a named service actor with its version, machine and process.</summary>
public static class RunnerIdentity
{
    public const string Actor = "system:runner";

    /// <summary>The reader id under which the Runner's reads of sequestered test data are counted.</summary>
    public static readonly Guid ReaderId = new("a1a40000-0000-4000-8000-000000000001");

    public static string Version { get; } =
        typeof(RunnerIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>This Runner process: several may run on one machine, so the process id is part of the name.</summary>
    public static string Instance { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    public static string Describe() => $"ai4h-runner {Version} on {Environment.MachineName}";

    /// <summary>The Runner acts on its own account; the user who caused the work stays in the correlation id.</summary>
    public static void Stamp(IDocumentSession session) => session.LastModifiedBy = Actor;
}
