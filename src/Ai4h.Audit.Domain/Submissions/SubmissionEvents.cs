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

/// <summary>
/// Someone exported the submission's dossier: which format, which point of the record it reflected (last sequence
/// number) and the dossier's content hash, so the copy in a reader's hands can be matched to the record.
/// </summary>
public sealed record DossierExported(Guid SubmissionId, string Format, long ReflectsSequence, string ContentSha256, string? Purpose);
