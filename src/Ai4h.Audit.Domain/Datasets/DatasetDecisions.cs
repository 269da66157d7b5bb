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
            string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
    }

    /// <summary>
    /// Keeps only the last path segment of a client's file name: names are recorded, never used as paths, but a
    /// name like "../../etc/passwd" has no place in the record either.
    /// </summary>
    public static string CleanFileName(string? fileName)
    {
        var name = (fileName ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..].Trim();
        if (name.Length == 0 || name is "." or "..") throw DecisionRejected.Invalid("file", "the upload has no file name");
        if (name.Length > MaxFileNameLength) throw DecisionRejected.Invalid("file", $"the file name is longer than {MaxFileNameLength} characters");
        if (name.Any(char.IsControl)) throw DecisionRejected.Invalid("file", "the file name contains control characters");
        return name;
    }
}
