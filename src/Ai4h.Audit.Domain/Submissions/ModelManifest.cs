namespace Ai4h.Audit.Domain.Submissions;

/// <summary>What the model's output tensor holds.</summary>
public enum OutputKind { Probabilities, Logits, ClassScores, RegressionValue }

/// <summary>
/// What a developer declares about a model: who made it, for what, which benchmark it targets, and how to feed it
/// (input tensor, feature columns in order) and read it (output tensor, kind, positive class index for binary tasks).
/// </summary>
public sealed record ModelManifest(
    string ModelName,
    string ModelVersion,
    string DeveloperOrganisation,
    string IntendedUse,
    Guid BenchmarkId,
    string InputTensor,
    IReadOnlyList<string> FeatureColumns,
    string OutputTensor,
    OutputKind OutputKind,
    int? PositiveClassIndex);

/// <summary>What ONNX Runtime found in the model file: the tensors as declared, and the runtime that looked.</summary>
public sealed record ModelSignature(
    string InputTensor,
    string InputElementType,
    IReadOnlyList<long> InputShape,
    string OutputTensor,
    string OutputElementType,
    IReadOnlyList<long> OutputShape,
    IReadOnlyList<long> DryRunOutputShape,
    string OnnxRuntimeVersion);
