using System.Diagnostics;
using System.Globalization;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Ai4h.Audit.Inference;
using JasperFx;
using Marten;
using Microsoft.ML.OnnxRuntime;

namespace Ai4h.Audit.Runner.Evaluations;

/// <summary>
/// One Runner's attempt at one evaluation: claim it, read the sequestered test data (recorded), score every case
/// with ONNX Runtime, compute the metrics, store the per-case predictions and record the result.
/// Every append names the stream version this attempt last wrote, so if another attempt has taken over (this
/// Runner was presumed dead), this one's next append fails and it stops: an evaluation gets exactly one result.
/// </summary>
public sealed class EvaluationRun(Guid evaluationId, string? correlationId, IDocumentStore store, RunnerSettings settings, ILogger logger)
{
    /// <summary>The stream version this attempt last wrote; every append expects it.</summary>
    private long _version;
    /// <summary>The stream version of this attempt's <see cref="EvaluationStarted"/>.</summary>
    private long _startedVersion;
    private int _attempt;
    private volatile int _casesDone;
    private volatile string _stage = "scoring";

    private sealed record Inputs(Evaluation Evaluation, BenchmarkDefinition Definition, ModelManifest Manifest, TestCases Cases, byte[] Model);

    /// <summary>A problem with what the evaluation was given (not with the Runner): recorded as the failure reason.</summary>
    private sealed class InputProblem(string reason) : Exception(reason);

    public async Task ExecuteAsync(CancellationToken shutdown)
    {
        var inputs = await ClaimAsync(shutdown);
        if (inputs is null) return;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        timeout.CancelAfter(settings.EvaluationTimeout);
        using var superseded = new CancellationTokenSource();
        using var work = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, superseded.Token);
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(inputs.Cases.Count, superseded, stopHeartbeat.Token);

        string? failure = null;
        (float[] Outputs, int Width, EvaluationResults Results)? outcome = null;
        var clock = Stopwatch.StartNew();
        try
        {
            outcome = await Task.Run(() => Evaluate(inputs, work.Token), work.Token);
        }
        catch (OperationCanceledException) when (superseded.IsCancellationRequested)
        {
            logger.LogWarning("Evaluation {EvaluationId} attempt {Attempt}: another attempt took over; this one stops", evaluationId, _attempt);
            return;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            logger.LogWarning("Evaluation {EvaluationId} attempt {Attempt} interrupted by shutdown; it will be resumed", evaluationId, _attempt);
            return;
        }
        catch (OperationCanceledException)
        {
            failure = $"the model did not finish within the time limit of {settings.EvaluationTimeout.TotalSeconds:0} s " +
                      $"({_casesDone} of {inputs.Cases.Count} cases scored)";
        }
        catch (OnnxRuntimeException e)
        {
            failure = $"ONNX Runtime failed while scoring (after {_casesDone} of {inputs.Cases.Count} cases): {FirstLine(e.Message)}";
        }
        catch (InvalidScoreException e)
        {
            failure = e.Message; // names the case
        }
        catch (InputProblem e)
        {
            failure = e.Message;
        }
        catch (ArgumentException e)
        {
            // The calculator refuses outputs or labels that do not fit the task (e.g. a label that is no class index).
            failure = $"the results could not be computed: {e.Message}";
        }
        finally
        {
            await stopHeartbeat.CancelAsync();
            await heartbeat;
        }
        if (superseded.IsCancellationRequested) return;

        logger.LogInformation("Evaluation {EvaluationId} attempt {Attempt}: {Outcome} in {Seconds:0.0} s", evaluationId, _attempt,
            failure ?? "scored and measured", clock.Elapsed.TotalSeconds);
        await RecordOutcomeAsync(inputs, outcome, failure, shutdown);
    }

    /// <summary>Decides, and if this Runner is to run it, records the claim and the test-data read in one transaction.</summary>
    private async Task<Inputs?> ClaimAsync(CancellationToken ct)
    {
        await using var session = OpenSession();
        var stream = await session.Events.FetchForWriting<Evaluation>(evaluationId, ct);
        var evaluation = stream.Aggregate;
        if (evaluation is null)
        {
            logger.LogError("Asked to run unknown evaluation {EvaluationId}", evaluationId);
            return null;
        }

        var decision = EvaluationDecisions.Begin(evaluation, RunnerIdentity.Instance,
            await RecordClock.LastEventAtAsync(session, evaluationId, ct), await RecordClock.NowAsync(session, ct), settings.Recovery);
        switch (decision)
        {
            case BeginDecision.Skip skip:
                logger.LogInformation("Evaluation {EvaluationId}: nothing to do, {Why}", evaluationId, skip.Why);
                return null;
            case BeginDecision.GiveUp giveUp:
                stream.AppendOne(giveUp.Failed);
                await SaveClaimAsync(session, ct);
                logger.LogWarning("Evaluation {EvaluationId} failed: {Reason}", evaluationId, giveUp.Failed.Reason);
                return null;
        }

        var run = (BeginDecision.Run)decision;
        _attempt = run.Attempt;
        var claim = new RunnerClaim(RunnerIdentity.Instance, RunnerIdentity.Version, ModelInspector.RuntimeVersion, Environment.MachineName, settings.BatchSize);
        Inputs inputs;
        try
        {
            inputs = await LoadAsync(session, evaluation, ct);
        }
        catch (InputProblem problem)
        {
            stream.AppendOne(run.Started(evaluationId, claim, 0));
            stream.AppendOne(new EvaluationFailed(evaluationId, run.Attempt, problem.Message, RunnerIdentity.Instance));
            await SaveClaimAsync(session, ct);
            logger.LogWarning("Evaluation {EvaluationId} failed: {Reason}", evaluationId, problem.Message);
            return null;
        }

        stream.AppendOne(run.Started(evaluationId, claim, inputs.Cases.Count));
        // The Runner's read of the sequestered labels is counted like anyone's, with the evaluation as its purpose.
        session.Events.Append(evaluation.BenchmarkId, new SequesteredDataRead(evaluation.BenchmarkId, evaluation.BenchmarkVersion,
            evaluation.DatasetId, evaluation.DatasetVersion, evaluation.DatasetSha256, SequesteredContent.FullTestSet,
            $"evaluation {evaluationId} (attempt {run.Attempt}) of submission {evaluation.SubmissionId}", RunnerIdentity.ReaderId, "Runner"));
        if (!await SaveClaimAsync(session, ct)) return null;
        _version = _startedVersion = evaluation.Version + 1;
        logger.LogInformation("Evaluation {EvaluationId} attempt {Attempt}: scoring {Cases} cases{Resumes}", evaluationId, run.Attempt,
            inputs.Cases.Count, run.Resumes is null ? "" : $" ({run.Resumes})");
        return inputs;
    }

    private async Task<bool> SaveClaimAsync(IDocumentSession session, CancellationToken ct)
    {
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception e) when (StreamConflicts.IsConflict(e))
        {
            logger.LogInformation("Evaluation {EvaluationId}: another Runner claimed it first", evaluationId);
            return false;
        }
    }

    private static async Task<Inputs> LoadAsync(IDocumentSession session, Evaluation evaluation, CancellationToken ct)
    {
        var submission = await session.LoadAsync<Submission>(evaluation.SubmissionId, ct)
            ?? throw new InputProblem($"submission {evaluation.SubmissionId} does not exist");
        var benchmark = await session.LoadAsync<Benchmark>(evaluation.BenchmarkId, ct)
            ?? throw new InputProblem($"benchmark {evaluation.BenchmarkId} does not exist");
        var definition = benchmark.Versions.FirstOrDefault(v => v.Version == evaluation.BenchmarkVersion)?.Definition
            ?? throw new InputProblem($"benchmark {evaluation.BenchmarkId} has no version {evaluation.BenchmarkVersion}");

        byte[]? model, data;
        try
        {
            model = await BlobStore.ReadAsync(session, evaluation.ModelSha256, ct);
            data = await BlobStore.ReadAsync(session, evaluation.DatasetSha256, ct);
        }
        catch (BlobIntegrityException e)
        {
            throw new InputProblem(e.Message);
        }
        if (model is null) throw new InputProblem($"the model's bytes ({evaluation.ModelSha256}) are missing from the store");
        if (data is null) throw new InputProblem($"the test data's bytes ({evaluation.DatasetSha256}) are missing from the store");

        try
        {
            return new Inputs(evaluation, definition, submission.Manifest, TestCases.Read(definition, data), model);
        }
        catch (CsvRejected e)
        {
            throw new InputProblem($"the test data cannot be read: {e.Rule}");
        }
    }

    private (float[] Outputs, int Width, EvaluationResults Results) Evaluate(Inputs inputs, CancellationToken ct)
    {
        var cases = inputs.Cases;
        using var scorer = CreateScorer(inputs);
        var outputs = new float[cases.Count * scorer.OutputWidth];
        scorer.Score(cases.Features, cases.Count, outputs, done => _casesDone = done, ct);

        _stage = "computing metrics";
        var results = EvaluationCalculator.Compute(new EvaluationInput(inputs.Definition, cases.CaseIds, cases.Labels, cases.SubgroupValues,
            outputs, scorer.OutputWidth, inputs.Manifest.OutputKind, inputs.Manifest.PositiveClassIndex));
        return (outputs, scorer.OutputWidth, results);
    }

    private BatchScorer CreateScorer(Inputs inputs)
    {
        try
        {
            return new BatchScorer(inputs.Model, inputs.Manifest.InputTensor, inputs.Manifest.OutputTensor, inputs.Cases.FeatureCount,
                settings.BatchSize, settings.IntraOpThreads);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InputProblem($"ONNX Runtime cannot load the model: {FirstLine(e.Message)}");
        }
    }

    /// <summary>Records progress every interval until stopped; if another attempt has taken over, signals this one to stop.</summary>
    private async Task HeartbeatAsync(int total, CancellationTokenSource superseded, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try { await Task.Delay(settings.ProgressInterval, stop); }
            catch (OperationCanceledException) { return; }
            try
            {
                await AppendAsync(new EvaluationProgressed(evaluationId, _attempt, _casesDone, total, _stage), stop);
            }
            catch (Exception e) when (StreamConflicts.IsConflict(e))
            {
                await superseded.CancelAsync();
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A missed heartbeat is not fatal: the next one may get through (the database may be restarting).
                logger.LogWarning(e, "Evaluation {EvaluationId}: could not record progress", evaluationId);
            }
        }
    }

    private async Task RecordOutcomeAsync(Inputs inputs, (float[] Outputs, int Width, EvaluationResults Results)? outcome, string? failure,
        CancellationToken ct)
    {
        try
        {
            await using var session = OpenSession();
            var stream = await session.Events.FetchForWriting<Evaluation>(evaluationId, _version, ct);
            if (failure is not null || outcome is null)
            {
                stream.AppendOne(new EvaluationFailed(evaluationId, _attempt, failure ?? "the evaluation produced no results", RunnerIdentity.Instance));
            }
            else
            {
                var (outputs, width, results) = outcome.Value;
                var sha = BlobStore.Store(session, PredictionsCsv(inputs, outputs, width));
                var e = inputs.Evaluation;
                var ci = inputs.Definition.ConfidenceInterval;
                var provenance = new EvaluationProvenance(e.ModelSha256, e.BenchmarkId, e.BenchmarkVersion, e.DatasetId, e.DatasetVersion,
                    e.DatasetSha256, RunnerIdentity.Version, ModelInspector.RuntimeVersion, Environment.MachineName,
                    ci.Method == IntervalMethod.Bootstrap ? ci.Seed : null, settings.BatchSize,
                    await RecordClock.EventAtAsync(session, evaluationId, _startedVersion, ct), await RecordClock.NowAsync(session, ct),
                    sha, inputs.Cases.Count);
                stream.AppendOne(new EvaluationCompleted(evaluationId, _attempt, provenance, results, results.Passed));
            }
            await session.SaveChangesAsync(ct);
        }
        catch (Exception error) when (StreamConflicts.IsConflict(error))
        {
            logger.LogWarning("Evaluation {EvaluationId} attempt {Attempt}: another attempt took over before the result was recorded; discarded",
                evaluationId, _attempt);
        }
    }

    private async Task AppendAsync(object @event, CancellationToken ct)
    {
        await using var session = OpenSession();
        var stream = await session.Events.FetchForWriting<Evaluation>(evaluationId, _version, ct);
        stream.AppendOne(@event);
        await session.SaveChangesAsync(ct);
        _version++;
    }

    /// <summary>Case id and the model's raw outputs, full float precision: enough to recompute every metric with the labels.</summary>
    private static byte[] PredictionsCsv(Inputs inputs, float[] outputs, int width)
    {
        var tensor = inputs.Manifest.OutputTensor;
        var header = new List<string> { inputs.Definition.CaseIdColumn };
        header.AddRange(Enumerable.Range(0, width).Select(k => width == 1 ? tensor : $"{tensor}[{k}]"));
        var rows = new List<IReadOnlyList<string>> { header };
        for (var i = 0; i < inputs.Cases.Count; i++)
        {
            var row = new string[width + 1];
            row[0] = inputs.Cases.CaseIds[i];
            for (var k = 0; k < width; k++) row[k + 1] = outputs[i * width + k].ToString("R", CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        return CsvWriter.Write(rows);
    }

    private IDocumentSession OpenSession()
    {
        var session = store.LightweightSession();
        RunnerIdentity.Stamp(session);
        session.CorrelationId = correlationId;
        return session;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
