namespace Ai4h.Audit.Runner;

/// <summary>
/// The Runner: a separate process that takes work from the durable "runner" queue in PostgreSQL and appends what
/// it finds to the record. Today it verifies uploaded data set versions; model evaluations come next.
/// </summary>
public static class RunnerProgram
{
    public static Task Main(string[] args) => RunnerHost.Build(args).RunAsync();
}
