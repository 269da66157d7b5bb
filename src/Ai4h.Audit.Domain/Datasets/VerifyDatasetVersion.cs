namespace Ai4h.Audit.Domain.Datasets;

/// <summary>
/// Sent to the Runner after an upload: read the stored bytes back, check they still hash to
/// <paramref name="Sha256"/>, profile them again and record the result on the data set's stream.
/// </summary>
public sealed record VerifyDatasetVersion(Guid DatasetId, int Version, string Sha256);
