using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Hosting;
using Ai4h.Audit.Runner.Evaluations;

namespace Ai4h.Audit.Runner;

public static class RunnerHost
{
    public static IHost Build(string[] args, Action<HostApplicationBuilder>? customize = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        customize?.Invoke(builder);
        var connections = DatabaseConnections.From(
            builder.Configuration[DatabaseConnections.Variable], builder.Configuration[DatabaseConnections.OwnerUserVariable]);
        builder.Services.Configure<RunnerSettings>(builder.Configuration.GetSection(RunnerSettings.Section));
        var settings = builder.Configuration.GetSection(RunnerSettings.Section).Get<RunnerSettings>() ?? new RunnerSettings();
        builder.AddAuditRecord(connections, RecordProcess.Runner, typeof(RunnerHost).Assembly, opts =>
            opts.Policies.Add(new EvaluationTimeLimit(settings.EvaluationTimeout + settings.StallAfter)));
        builder.Services.AddHostedService<ReadinessLog>();
        builder.Services.AddHostedService<StalledEvaluationSweeper>();
        return builder.Build();
    }
}
