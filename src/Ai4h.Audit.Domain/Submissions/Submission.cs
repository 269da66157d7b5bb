namespace Ai4h.Audit.Domain.Submissions;

/// <summary>A model submission as its history reads (inline).</summary>
public sealed record Submission(
    Guid Id,
    ModelManifest Manifest,
    int BenchmarkVersion,
    string ModelSha256,
    long SizeBytes,
    string FileName,
    ModelSignature Signature,
    Guid DeveloperId,
    Guid? PreviousSubmissionId)
{
    public long Version { get; set; }

    public static Submission Create(ModelSubmitted e) => new(e.SubmissionId, e.Manifest, e.BenchmarkVersion, e.ModelSha256,
        e.SizeBytes, e.FileName, e.Signature, e.DeveloperId, e.PreviousSubmissionId);
}
