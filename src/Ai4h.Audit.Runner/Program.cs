using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Runner;
using JasperFx;
using Marten;
using Wolverine;
using Wolverine.Marten;

// The Runner: a separate process that will run model evaluations and append their results (issue: submissions
// and the runner). For now it joins the record and the durable message system, and logs that it is ready.
var builder = Host.CreateApplicationBuilder(args);
var connections = DatabaseConnections.From(
    builder.Configuration[DatabaseConnections.Variable], builder.Configuration[DatabaseConnections.OwnerUserVariable]);

builder.Services.AddMarten(opts => RecordStore.Configure(opts, connections.Application, migrate: false))
    .UseLightweightSessions()
    .IntegrateWithWolverine(w => w.AutoCreate = AutoCreate.None);

builder.UseWolverine(opts =>
{
    opts.UseRuntimeCompilation();
    opts.Policies.AutoApplyTransactions();
    opts.Policies.UseDurableLocalQueues();
    opts.AutoBuildMessageStorageOnStartup = AutoCreate.None;
    opts.ServiceName = "ai4h-runner";
});
builder.Services.AddHostedService<ReadinessLog>();

await builder.Build().RunAsync();
