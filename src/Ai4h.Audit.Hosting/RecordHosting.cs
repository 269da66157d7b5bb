using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;
using JasperFx;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wolverine;
using Wolverine.Marten;
using Wolverine.Postgresql;

namespace Ai4h.Audit.Hosting;

/// <summary>Which process is joining the record: it decides the database role and who listens to which queue.</summary>
public enum RecordProcess
{
    /// <summary>The HTTP Api: application role; sends work to the Runner.</summary>
    Api,
    /// <summary>The evaluation Runner: application role; listens to the runner queue.</summary>
    Runner,
    /// <summary>The <c>migrate</c> command: schema owner; creates every table, queue tables included.</summary>
    Migrator,
}

public static class RecordHosting
{
    /// <summary>The durable PostgreSQL queue the Runner consumes for quick work (verifying uploads).</summary>
    public const string RunnerQueue = "runner";

    /// <summary>
    /// The durable PostgreSQL queue of evaluations. Each Runner takes one message at a time and runs one evaluation
    /// at a time (it uses every core), so several Runners on one database share the queue.
    /// </summary>
    public const string EvaluationQueue = "evaluations";

    private static readonly TimeSpan QueuePolling = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Marten with the record's conventions, integrated with Wolverine: transactional outbox and inbox in
    /// PostgreSQL, transactions applied automatically to handlers, and durable PostgreSQL queues between processes.
    /// </summary>
    /// <param name="handlers">The assembly whose handlers and endpoints Wolverine discovers (the calling process's own).</param>
    /// <param name="configure">The process's own additions to the Wolverine set-up (e.g. handler time limits).</param>
    public static void AddAuditRecord(this IHostApplicationBuilder builder, DatabaseConnections connections, RecordProcess process,
        System.Reflection.Assembly handlers, Action<WolverineOptions>? configure = null)
    {
        var migrate = process == RecordProcess.Migrator;
        var autoCreate = migrate ? AutoCreate.CreateOrUpdate : AutoCreate.None;

        builder.Services.AddMarten(opts => RecordStore.Configure(opts, migrate ? connections.Owner : connections.Application, migrate))
            .UseLightweightSessions()
            .IntegrateWithWolverine(w => w.AutoCreate = autoCreate);
        // Marten's own logger writes parameter values, which for an append are the events (key and password hashes).
        builder.Services.ConfigureMarten((services, opts) =>
            opts.Logger(new RecordLogger(services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<IDocumentStore>>())));

        builder.UseWolverine(opts =>
        {
            opts.ServiceName = $"ai4h-{process.ToString().ToLowerInvariant()}";
            opts.ApplicationAssembly = handlers;
            opts.UseRuntimeCompilation();
            opts.AutoBuildMessageStorageOnStartup = autoCreate;
            opts.Policies.AutoApplyTransactions();
            opts.Policies.UseDurableLocalQueues();
            opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
            opts.EnableRelayOfUserName = true;

            // Declared by every process so that the migrator creates the queue tables the others use.
            opts.PublishMessage<VerifyDatasetVersion>().ToPostgresqlQueue(RunnerQueue);
            opts.PublishMessage<RunEvaluation>().ToPostgresqlQueue(EvaluationQueue);
            if (process == RecordProcess.Runner)
            {
                // Polled every second (Wolverine's default is five): a cheap query, and work starts without a wait.
                opts.ListenToPostgresqlQueue(RunnerQueue).PollingInterval(QueuePolling).UseDurableInbox();
                opts.ListenToPostgresqlQueue(EvaluationQueue).PollingInterval(QueuePolling).MaximumMessagesToReceive(1).Sequential().UseDurableInbox();
            }
            if (process == RecordProcess.Migrator) opts.Durability.Mode = DurabilityMode.MediatorOnly;
            configure?.Invoke(opts);
        });
    }
}
