namespace Ai4h.Audit.Domain.Datasets;

/// <summary>Whether the Runner has read a version's stored bytes back and confirmed them.</summary>
public enum VerificationStatus { Pending, Verified, Failed }

/// <summary>One version of a data set as its metadata reads (the bytes live in the blob store).</summary>
public sealed record DatasetVersionInfo(
    int Version,
    string Sha256,
    long SizeBytes,
    string FileName,
    string MediaType,
    int RowCount,
    IReadOnlyList<ColumnProfile> Columns,
    string? Reason,
    VerificationStatus Verification = VerificationStatus.Pending,
    string? VerificationProblem = null);

/// <summary>A data set and its versions, rebuilt from its stream (inline snapshot).</summary>
public sealed record Dataset(
    Guid Id,
    string Name,
    string Description,
    string Owner,
    string IntendedUse,
    string Licence,
    string Modality,
    string Task,
    IReadOnlyList<DatasetVersionInfo> Versions)
{
    /// <summary>The stream version this state reflects (set by Marten).</summary>
    public long Version { get; set; }

    public static Dataset Create(DatasetRegistered e) =>
        new(e.DatasetId, e.Name, e.Description, e.Owner, e.IntendedUse, e.Licence, e.Modality, e.Task, []);

    public Dataset Apply(DatasetVersionUploaded e) => this with
    {
        Versions = [.. Versions, new DatasetVersionInfo(e.Version, e.Sha256, e.SizeBytes, e.FileName, e.MediaType, e.RowCount, e.Columns, e.Reason)],
    };

    public Dataset Apply(DatasetVersionVerified e) =>
        WithVersion(e.Version, v => v with { Verification = VerificationStatus.Verified, VerificationProblem = null });

    public Dataset Apply(DatasetVersionVerificationFailed e) =>
        WithVersion(e.Version, v => v with { Verification = VerificationStatus.Failed, VerificationProblem = e.Problem });

    private Dataset WithVersion(int version, Func<DatasetVersionInfo, DatasetVersionInfo> change) =>
        this with { Versions = [.. Versions.Select(v => v.Version == version ? change(v) : v)] };
}
