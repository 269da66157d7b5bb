using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Hosting;

namespace Ai4h.Audit.Runner;

public static class RunnerHost
{
    public static IHost Build(string[] args, Action<HostApplicationBuilder>? customize = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        customize?.Invoke(builder);
        var connections = DatabaseConnections.From(
            builder.Configuration[DatabaseConnections.Variable], builder.Configuration[DatabaseConnections.OwnerUserVariable]);
        builder.AddAuditRecord(connections, RecordProcess.Runner, typeof(RunnerHost).Assembly);
        builder.Services.AddHostedService<ReadinessLog>();
        return builder.Build();
    }
}
