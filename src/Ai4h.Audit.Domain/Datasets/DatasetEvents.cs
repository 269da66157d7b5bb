namespace Ai4h.Audit.Domain.Datasets;

/// <summary>A data set was put on record: what it is, whose it is, what it may be used for.</summary>
public sealed record DatasetRegistered(
    Guid DatasetId,
    string Name,
    string Description,
    string Owner,
    string IntendedUse,
    string Licence,
    string Modality,
    string Task);

/// <summary>
/// A version of a data set was uploaded. The bytes are stored once under <paramref name="Sha256"/> (labels
/// included); the profile is what the platform read from them at upload.
/// </summary>
public sealed record DatasetVersionUploaded(
    Guid DatasetId,
    int Version,
    string Sha256,
    long SizeBytes,
    string FileName,
    string MediaType,
    int RowCount,
    IReadOnlyList<ColumnProfile> Columns,
    string? Reason);

/// <summary>
/// The Runner read a version's stored bytes back, found they still hash to <paramref name="Sha256"/> and profile
/// to the same rows and columns as at upload. <paramref name="Verifier"/> names the process and its version.
/// </summary>
public sealed record DatasetVersionVerified(Guid DatasetId, int Version, string Sha256, int RowCount, string Verifier);

/// <summary>The Runner could not confirm a version's stored bytes; <paramref name="Problem"/> says what differed.</summary>
public sealed record DatasetVersionVerificationFailed(Guid DatasetId, int Version, string Sha256, string Problem, string Verifier);
