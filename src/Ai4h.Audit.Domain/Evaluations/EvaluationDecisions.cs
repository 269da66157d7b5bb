using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;

namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>Who is about to run an evaluation: the Runner process and the software it runs.</summary>
public sealed record RunnerClaim(string Runner, string RunnerVersion, string OnnxRuntimeVersion, string Machine, int BatchSize);

/// <summary>When a Runner gives up on another's attempt, and how often an evaluation may be attempted.</summary>
public sealed record RecoveryPolicy(TimeSpan StallAfter, int MaxAttempts);

/// <summary>What a Runner should do with a <see cref="RunEvaluation"/> message.</summary>
public abstract record BeginDecision
{
    /// <summary>Run it as this attempt. Appending <see cref="EvaluationStarted"/> claims it: a concurrent claim loses on the stream version.</summary>
    public sealed record Run(int Attempt, string? Resumes) : BeginDecision
    {
        public EvaluationStarted Started(Guid evaluationId, RunnerClaim claim, int cases) => new(evaluationId, Attempt, claim.Runner,
            claim.RunnerVersion, claim.OnnxRuntimeVersion, claim.Machine, cases, claim.BatchSize, Resumes);
    }
    /// <summary>Give up: it was interrupted too often.</summary>
    public sealed record GiveUp(EvaluationFailed Failed) : BeginDecision;
    /// <summary>Nothing to do, and why (already finished, or another Runner is working on it).</summary>
    public sealed record Skip(string Why) : BeginDecision;
}

/// <summary>The pure decisions of the Evaluations capability: (command, state, now) → events.</summary>
public static class EvaluationDecisions
{
    public static EvaluationRequested Request(Guid evaluationId, Submission submission, BenchmarkVersion benchmark, Guid benchmarkId,
        DatasetVersionInfo data, IEnumerable<Evaluation> earlier, Guid requestedBy, string? reason)
    {
        var d = benchmark.Definition;
        if (data.Sha256 != d.DatasetSha256)
            throw DecisionRejected.Conflict($"the benchmark pins test data {d.DatasetSha256}, but data set version {data.Version} is {data.Sha256}");
        if (data.Verification == VerificationStatus.Failed)
            throw DecisionRejected.Conflict($"the test data failed its integrity check ({data.VerificationProblem}); it cannot be used");
        var unfinished = earlier.FirstOrDefault(e => !e.IsFinished);
        if (unfinished is not null)
            throw DecisionRejected.Conflict($"evaluation {unfinished.Id} of this submission is still {unfinished.Status.ToString().ToLowerInvariant()}; wait for it to finish");
        if (reason is { Length: > 2000 }) throw DecisionRejected.Invalid("reason", "must be at most 2000 characters");
        return new EvaluationRequested(evaluationId, submission.Id, submission.ModelSha256, benchmarkId, benchmark.Version,
            d.DatasetId, d.DatasetVersion, data.Sha256, requestedBy, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
    }

    /// <summary>
    /// Decides whether this Runner runs the evaluation. A finished one is never run again (a redelivered message
    /// changes nothing). A running one is left alone while its Runner reports; once it has been silent for
    /// <see cref="RecoveryPolicy.StallAfter"/> (the Runner died), the next attempt takes over, up to the policy's limit.
    /// </summary>
    /// <param name="lastActivity">Server time of the evaluation's latest event.</param>
    /// <param name="now">Server time now (the same clock).</param>
    public static BeginDecision Begin(Evaluation evaluation, string runner, DateTimeOffset lastActivity, DateTimeOffset now, RecoveryPolicy policy)
    {
        if (evaluation.IsFinished) return new BeginDecision.Skip($"it is {evaluation.Status.ToString().ToLowerInvariant()} already");
        string? resumes = null;
        if (evaluation.Status == EvaluationStatus.Running)
        {
            var silent = now - lastActivity;
            if (silent < policy.StallAfter)
                return new BeginDecision.Skip($"attempt {evaluation.Attempt} is running on {evaluation.Runner} (last report {silent.TotalSeconds:0.#} s ago)");
            resumes = $"attempt {evaluation.Attempt} on {evaluation.Runner} stopped reporting at {lastActivity:u} ({silent.TotalSeconds:0} s without a report)";
            if (evaluation.Attempt >= policy.MaxAttempts)
                return new BeginDecision.GiveUp(new EvaluationFailed(evaluation.Id, evaluation.Attempt,
                    $"the evaluation was interrupted {evaluation.Attempt} times without finishing (the model may crash the Runner); last: {resumes}", runner));
        }
        return new BeginDecision.Run(evaluation.Attempt + 1, resumes);
    }

    /// <summary>Whether a waiting or running evaluation has gone quiet for long enough that a Runner should look at it again.</summary>
    public static bool NeedsAttention(Evaluation evaluation, DateTimeOffset lastActivity, DateTimeOffset now, RecoveryPolicy policy) =>
        !evaluation.IsFinished && now - lastActivity >= policy.StallAfter;
}
