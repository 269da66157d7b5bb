using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ai4h.Audit.Runner.Evaluations;

/// <summary>
/// Every Runner looks, now and then, for evaluations that are waiting or running but have gone silent for longer
/// than <see cref="RunnerSettings.StallAfter"/> (a Runner was killed, or a message is stuck behind a long run),
/// and sends <see cref="RunEvaluation"/> again. Sending twice is harmless: the evaluation's stream decides.
/// </summary>
public sealed class StalledEvaluationSweeper(IDocumentStore store, IServiceScopeFactory scopes, IOptions<RunnerSettings> options,
    ILogger<StalledEvaluationSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(settings, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not look for stalled evaluations; trying again later");
            }
            try { await Task.Delay(settings.SweepInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task SweepAsync(RunnerSettings settings, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var open = await session.Query<Evaluation>()
            .Where(e => e.Status == EvaluationStatus.Requested || e.Status == EvaluationStatus.Running)
            .ToListAsync(ct);
        if (open.Count == 0) return;

        var now = await RecordClock.NowAsync(session, ct);
        await using var scope = scopes.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        foreach (var evaluation in open)
        {
            var last = await RecordClock.LastEventAtAsync(session, evaluation.Id, ct);
            if (!EvaluationDecisions.NeedsAttention(evaluation, last, now, settings.Recovery)) continue;
            logger.LogWarning("Evaluation {EvaluationId} is {Status} and silent since {Last:u}; asking a Runner to take it up",
                evaluation.Id, evaluation.Status, last);
            await bus.SendAsync(new RunEvaluation(evaluation.Id));
        }
    }
}
