using Ai4h.Audit.Api.History;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Datasets;

public sealed record DatasetSummary(Guid Id, string Name, string Owner, string Task, int VersionCount);

public static class DatasetQueries
{
    [EndpointSummary("List the registered data sets.")]
    [WolverineGet("/api/datasets", Name = "ListDatasets")]
    [Authorize(Roles = RoleSets.DatasetReaders)]
    public static async Task<IReadOnlyList<DatasetSummary>> List(IQuerySession session, CancellationToken ct)
    {
        var all = await session.Query<Dataset>().OrderBy(d => d.Name).ToListAsync(ct);
        return all.Select(d => new DatasetSummary(d.Id, d.Name, d.Owner, d.Task, d.Versions.Count)).ToList();
    }

    [EndpointSummary("Read a data set's registration and the metadata of all its versions.")]
    [WolverineGet("/api/datasets/{datasetId}", Name = "GetDataset")]
    [Authorize(Roles = RoleSets.DatasetReaders)]
    public static async Task<Dataset> Get(Guid datasetId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<Dataset>(datasetId, ct) ?? throw DecisionRejected.NotFound($"data set {datasetId} does not exist");

    [EndpointSummary("List a data set's versions (hash, size, rows, schema).")]
    [WolverineGet("/api/datasets/{datasetId}/versions", Name = "ListDatasetVersions")]
    [Authorize(Roles = RoleSets.DatasetReaders)]
    public static async Task<IReadOnlyList<DatasetVersionInfo>> Versions(Guid datasetId, IQuerySession session, CancellationToken ct) =>
        (await Get(datasetId, session, ct)).Versions;

    [EndpointSummary("Read one version's metadata: SHA-256, size, row count, column schema and missing counts.")]
    [WolverineGet("/api/datasets/{datasetId}/versions/{version}", Name = "GetDatasetVersion")]
    [Authorize(Roles = RoleSets.DatasetReaders)]
    public static async Task<DatasetVersionInfo> Version(Guid datasetId, int version, IQuerySession session, CancellationToken ct) =>
        (await Get(datasetId, session, ct)).Versions.FirstOrDefault(v => v.Version == version)
        ?? throw DecisionRejected.NotFound($"data set {datasetId} has no version {version}");

    [EndpointSummary("The data set's full history: every event with who recorded it, when (server time) and why.")]
    [WolverineGet("/api/datasets/{datasetId}/history", Name = "GetDatasetHistory")]
    [Authorize(Roles = RoleSets.DatasetReaders)]
    public static async Task<IReadOnlyList<RecordedEvent>> History(Guid datasetId, IQuerySession session, CancellationToken ct)
    {
        var state = await session.Events.FetchStreamStateAsync(datasetId, ct);
        if (state is null || state.AggregateType != typeof(Dataset))
            throw DecisionRejected.NotFound($"data set {datasetId} does not exist");
        return await StreamHistory.ReadAsync(session, datasetId, ct);
    }
}
