namespace Ai4h.Audit.Domain.Submissions;

/// <summary>
/// A model developer submitted a model for a benchmark. The bytes are stored under <paramref name="ModelSha256"/>;
/// <paramref name="Signature"/> is what ONNX Runtime found when it checked the file against the manifest.
/// A new version of a model names its <paramref name="PreviousSubmissionId"/>.
/// </summary>
public sealed record ModelSubmitted(
    Guid SubmissionId,
    ModelManifest Manifest,
    int BenchmarkVersion,
    string ModelSha256,
    long SizeBytes,
    string FileName,
    ModelSignature Signature,
    Guid DeveloperId,
    Guid? PreviousSubmissionId,
    string? Reason);
