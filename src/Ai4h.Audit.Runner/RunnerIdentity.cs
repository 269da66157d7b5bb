using System.Reflection;
using Marten;

namespace Ai4h.Audit.Runner;

/// <summary>How the Runner appears in the record: a named service actor with its version and machine.</summary>
public static class RunnerIdentity
{
    public const string Actor = "system:runner";

    public static string Version { get; } =
        typeof(RunnerIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static string Describe() => $"ai4h-runner {Version} on {Environment.MachineName}";

    /// <summary>The Runner acts on its own account; the user who caused the work stays in the correlation id.</summary>
    public static void Stamp(IDocumentSession session) => session.LastModifiedBy = Actor;
}
