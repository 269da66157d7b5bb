using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Record;
using Marten;

namespace Ai4h.Audit.Api.Benchmarks;

/// <summary>
/// A benchmark definition as a client sends it. The test data is named by data set id and version number; the
/// server pins the version's SHA-256 into the recorded definition.
/// </summary>
public sealed record BenchmarkRequest(
    string Name,
    string ClinicalTask,
    TaskType TaskType,
    Guid DatasetId,
    int DatasetVersion,
    string CaseIdColumn,
    string LabelColumn,
    IReadOnlyList<string> FeatureColumns,
    IReadOnlyList<string>? SubgroupColumns,
    string? PositiveClass,
    double? DecisionThreshold,
    IReadOnlyList<string> Metrics,
    ConfidenceIntervalSpec ConfidenceInterval,
    IReadOnlyList<AcceptanceCriterion>? AcceptanceCriteria,
    bool HideRows,
    string? Reason,
    long? ExpectedVersion = null)
{
    public BenchmarkDefinition ToDefinition(string datasetSha256) => new(
        Name?.Trim() ?? "", ClinicalTask?.Trim() ?? "", TaskType, DatasetId, DatasetVersion, datasetSha256,
        CaseIdColumn ?? "", LabelColumn ?? "", FeatureColumns ?? [], SubgroupColumns ?? [], PositiveClass, DecisionThreshold,
        Metrics ?? [], ConfidenceInterval ?? new ConfidenceIntervalSpec(IntervalMethod.Wilson, 0.95, null, null),
        AcceptanceCriteria ?? [], HideRows);
}

/// <summary>Loads the exact test data a definition names: the version's metadata and its verified bytes.</summary>
public static class TestData
{
    public static async Task<(DatasetVersionInfo Info, byte[] Bytes)> LoadAsync(IQuerySession session, Guid datasetId, int version, CancellationToken ct)
    {
        var dataset = await session.LoadAsync<Dataset>(datasetId, ct)
            ?? throw DecisionRejected.Invalid("datasetId", $"data set {datasetId} does not exist");
        var info = dataset.Versions.FirstOrDefault(v => v.Version == version)
            ?? throw DecisionRejected.Invalid("datasetVersion", $"data set {datasetId} has no version {version}");
        var bytes = await BlobStore.ReadAsync(session, info.Sha256, ct)
            ?? throw new BlobIntegrityException(info.Sha256, "nothing (the stored bytes are missing)");
        return (info, bytes);
    }
}
