using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Domain.Datasets;

/// <summary>Register a data set. Every field is required: a record without provenance is not evidence.</summary>
public sealed record RegisterDataset(
    string Name,
    string Description,
    string Owner,
    string IntendedUse,
    string Licence,
    string Modality,
    string Task);

/// <summary>The pure decisions of the Datasets capability: (command, state) → events.</summary>
public static class DatasetDecisions
{
    public const int MaxFileNameLength = 255;

    public static DatasetRegistered Register(Guid datasetId, RegisterDataset command) =>
        new(datasetId, command.Name.Trim(), command.Description.Trim(), command.Owner.Trim(),
            command.IntendedUse.Trim(), command.Licence.Trim(), command.Modality.Trim(), command.Task.Trim());

    /// <summary>
    /// Profiles the uploaded bytes and decides the next version. Throws <see cref="DecisionRejected"/> naming the
    /// field and the rule when the file is not an acceptable table.
    /// </summary>
    public static DatasetVersionUploaded UploadVersion(Dataset dataset, string? fileName, ReadOnlySpan<byte> bytes, string? reason)
    {
        var name = CleanFileName(fileName);
        var cleanReason = Text.Reason(reason);
        CsvProfile profile;
        try { profile = CsvProfiler.Profile(bytes); }
        catch (CsvRejected e) { throw DecisionRejected.Invalid("file", e.Rule); }

        return new DatasetVersionUploaded(
            dataset.Id,
            dataset.Versions.Count + 1,
            Sha256.Hex(bytes),
            bytes.Length,
            name,
            "text/csv",
            profile.RowCount,
            profile.Columns,
            cleanReason);
    }

    /// <summary>
    /// Keeps only the last path segment of a client's file name: names are recorded, never used as paths, but a
    /// name like "../../etc/passwd" has no place in the record either.
    /// </summary>
    /// <param name="field">The form field that carried the file, named in the refusal.</param>
    public static string CleanFileName(string? fileName, string field = "file")
    {
        var name = (fileName ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..].Trim();
        if (name.Length == 0 || name is "." or "..") throw DecisionRejected.Invalid(field, "the upload has no file name");
        if (name.Length > MaxFileNameLength) throw DecisionRejected.Invalid(field, $"the file name is longer than {MaxFileNameLength} characters");
        if (Text.NameProblem(name) is { } problem) throw DecisionRejected.Invalid(field, $"the file name {problem}");
        return name;
    }

    /// <summary>
    /// Judges a version's stored bytes as read back by the Runner. Returns nothing when the version is unknown or
    /// already judged, so a redelivered message records no second result.
    /// </summary>
    public static object? Verify(Dataset dataset, int version, byte[]? stored, string? readProblem, string verifier)
    {
        var info = dataset.Versions.FirstOrDefault(v => v.Version == version);
        if (info is null || info.Verification != VerificationStatus.Pending) return null;

        var problem = readProblem ?? (stored is null ? "the stored bytes are missing" : CompareProfile(info, stored));
        return problem is null
            ? new DatasetVersionVerified(dataset.Id, version, info.Sha256, info.RowCount, verifier)
            : new DatasetVersionVerificationFailed(dataset.Id, version, info.Sha256, problem, verifier);
    }

    private static string? CompareProfile(DatasetVersionInfo info, byte[] stored)
    {
        var actual = Sha256.Hex(stored);
        if (actual != info.Sha256) return $"the stored bytes hash to {actual}, not {info.Sha256}";
        CsvProfile profile;
        try { profile = CsvProfiler.Profile(stored); }
        catch (CsvRejected e) { return $"the stored bytes no longer read as a table: {e.Rule}"; }
        if (profile.RowCount != info.RowCount) return $"the stored bytes have {profile.RowCount} rows, not {info.RowCount}";
        return profile.Columns.SequenceEqual(info.Columns) ? null : "the stored bytes profile to different columns than at upload";
    }
}
