namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>
/// Someone asked for a submitted model to be evaluated on its benchmark. Everything the run will use is pinned
/// here by hash: the model, the benchmark version and the exact test data version.
/// </summary>
public sealed record EvaluationRequested(
    Guid EvaluationId,
    Guid SubmissionId,
    string ModelSha256,
    Guid BenchmarkId,
    int BenchmarkVersion,
    Guid DatasetId,
    int DatasetVersion,
    string DatasetSha256,
    Guid RequestedBy,
    string? Reason);

/// <summary>
/// A Runner took the evaluation and read the test data. <paramref name="Attempt"/> counts from 1; a later attempt
/// says in <paramref name="Resumes"/> why the earlier one was given up (its Runner stopped reporting).
/// </summary>
public sealed record EvaluationStarted(
    Guid EvaluationId,
    int Attempt,
    string Runner,
    string RunnerVersion,
    string OnnxRuntimeVersion,
    string Machine,
    int Cases,
    int BatchSize,
    string? Resumes);

/// <summary>How far the Runner has got: cases scored out of the total. Also its heartbeat while it works.</summary>
public sealed record EvaluationProgressed(Guid EvaluationId, int Attempt, int CasesDone, int CasesTotal, string Stage);

/// <summary>
/// The evaluation finished: every number, how it was obtained (<paramref name="Provenance"/>: hashes, versions,
/// seed, machine, the stored per-case predictions), and whether every acceptance criterion was met.
/// </summary>
public sealed record EvaluationCompleted(
    Guid EvaluationId,
    int Attempt,
    EvaluationProvenance Provenance,
    EvaluationResults Results,
    bool Passed);

/// <summary>The evaluation could not produce results; <paramref name="Reason"/> says why in words a reviewer can act on.</summary>
public sealed record EvaluationFailed(Guid EvaluationId, int Attempt, string Reason, string Runner);

/// <summary>
/// Everything needed to recompute an evaluation's numbers: the exact inputs by hash, the software that ran, the
/// random seed, the server times, and the per-case predictions stored as a blob under <paramref name="PredictionsSha256"/>.
/// </summary>
public sealed record EvaluationProvenance(
    string ModelSha256,
    Guid BenchmarkId,
    int BenchmarkVersion,
    Guid DatasetId,
    int DatasetVersion,
    string DatasetSha256,
    string RunnerVersion,
    string OnnxRuntimeVersion,
    string Machine,
    int? Seed,
    int BatchSize,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string PredictionsSha256,
    int PredictionRows);

/// <summary>Sent to the Runner: run (or resume) this evaluation. Safe to deliver more than once.</summary>
public sealed record RunEvaluation(Guid EvaluationId);
