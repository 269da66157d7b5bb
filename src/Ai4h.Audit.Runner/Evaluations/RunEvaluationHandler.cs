using Ai4h.Audit.Domain.Evaluations;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ai4h.Audit.Runner.Evaluations;

/// <summary>
/// Takes <see cref="RunEvaluation"/> from the durable evaluations queue. The message may arrive more than once
/// (redelivery, recovery after a crash, the sweeper's reminder); the evaluation's own stream decides what happens.
/// </summary>
public static class RunEvaluationHandler
{
    public static Task Handle(RunEvaluation command, IMessageContext context, IDocumentStore store, IOptions<RunnerSettings> settings,
        ILogger<EvaluationRun> logger, CancellationToken ct) =>
        new EvaluationRun(command.EvaluationId, context.CorrelationId, store, settings.Value, logger).ExecuteAsync(ct);
}
