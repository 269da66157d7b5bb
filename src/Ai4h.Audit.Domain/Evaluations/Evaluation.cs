namespace Ai4h.Audit.Domain.Evaluations;

public enum EvaluationStatus { Requested, Running, Completed, Failed }

/// <summary>An evaluation as its stream reads (inline): what it pins, where it is, and its outcome.</summary>
public sealed record Evaluation(
    Guid Id,
    Guid SubmissionId,
    string ModelSha256,
    Guid BenchmarkId,
    int BenchmarkVersion,
    Guid DatasetId,
    int DatasetVersion,
    string DatasetSha256,
    Guid RequestedBy,
    EvaluationStatus Status,
    int Attempt,
    string? Runner,
    int CasesDone,
    int CasesTotal,
    string? Stage,
    EvaluationProvenance? Provenance,
    EvaluationResults? Results,
    bool? Passed,
    string? FailureReason)
{
    /// <summary>The stream version this state reflects (set by Marten).</summary>
    public long Version { get; set; }

    public bool IsFinished => Status is EvaluationStatus.Completed or EvaluationStatus.Failed;

    public static Evaluation Create(EvaluationRequested e) => new(e.EvaluationId, e.SubmissionId, e.ModelSha256, e.BenchmarkId,
        e.BenchmarkVersion, e.DatasetId, e.DatasetVersion, e.DatasetSha256, e.RequestedBy, EvaluationStatus.Requested,
        0, null, 0, 0, null, null, null, null, null);

    public Evaluation Apply(EvaluationStarted e) => this with
    {
        Status = EvaluationStatus.Running, Attempt = e.Attempt, Runner = e.Runner, CasesDone = 0, CasesTotal = e.Cases, Stage = "started",
    };

    public Evaluation Apply(EvaluationProgressed e) => this with { CasesDone = e.CasesDone, CasesTotal = e.CasesTotal, Stage = e.Stage };

    public Evaluation Apply(EvaluationCompleted e) => this with
    {
        Status = EvaluationStatus.Completed, CasesDone = CasesTotal, Stage = "completed", Provenance = e.Provenance, Results = e.Results, Passed = e.Passed,
    };

    public Evaluation Apply(EvaluationFailed e) => this with { Status = EvaluationStatus.Failed, Stage = "failed", FailureReason = e.Reason };
}
