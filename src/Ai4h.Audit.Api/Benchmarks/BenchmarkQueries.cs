using Ai4h.Audit.Api.History;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Submissions;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Benchmarks;

public sealed record BenchmarkSummary(Guid Id, string Name, TaskType TaskType, int CurrentVersion, long StreamVersion);

public sealed record BenchmarkView(Guid Id, int Version, BenchmarkDefinition Definition, string? Reason, IReadOnlyList<string> AcceptanceCriteriaText, long StreamVersion);

/// <summary>A column of the test data as a model developer may know it: name, type and part, never values.</summary>
public sealed record SchemaColumn(string Name, ColumnType Type, string Part);

/// <summary>An evaluation that used the test set: which submission, and whether its developer has results from it.</summary>
public sealed record TestSetEvaluation(Guid EvaluationId, Guid SubmissionId, Guid DeveloperId, int BenchmarkVersion, EvaluationStatus Status, bool ResultsReleased);

public sealed record BenchmarkUsage(Guid BenchmarkId, int TotalReads, int LabelReads, IReadOnlyList<TestSetReader> Readers,
    IReadOnlyList<TestSetEvaluation> Evaluations);

public static class BenchmarkQueries
{
    [EndpointSummary("List benchmarks")]
    [WolverineGet("/api/benchmarks", Name = "ListBenchmarks")]
    [Authorize(Roles = RoleSets.BenchmarkReaders)]
    public static async Task<IReadOnlyList<BenchmarkSummary>> List(IQuerySession session, CancellationToken ct) =>
        (await session.Query<Benchmark>().ToListAsync(ct))
        .Select(b => new BenchmarkSummary(b.Id, b.Current.Definition.Name, b.Current.Definition.TaskType, b.Current.Version, b.Version))
        .OrderBy(b => b.Name).ToList();

    [EndpointSummary("Read a benchmark's current definition")]
    [WolverineGet("/api/benchmarks/{benchmarkId}", Name = "GetBenchmark")]
    [Authorize(Roles = RoleSets.BenchmarkReaders)]
    public static async Task<BenchmarkView> Get(Guid benchmarkId, IQuerySession session, CancellationToken ct)
    {
        var b = await Load(session, benchmarkId, ct);
        return View(b, b.Current);
    }

    [EndpointSummary("Read one version of a benchmark's definition")]
    [WolverineGet("/api/benchmarks/{benchmarkId}/versions/{version}", Name = "GetBenchmarkVersion")]
    [Authorize(Roles = RoleSets.BenchmarkReaders)]
    public static async Task<BenchmarkView> Version(Guid benchmarkId, int version, IQuerySession session, CancellationToken ct)
    {
        var b = await Load(session, benchmarkId, ct);
        return View(b, b.Versions.FirstOrDefault(v => v.Version == version)
            ?? throw DecisionRejected.NotFound($"benchmark {benchmarkId} has no version {version}"));
    }

    [EndpointSummary("The input schema of a benchmark version: case id, features in model order, subgroups, label (names and types, no values)")]
    [WolverineGet("/api/benchmarks/{benchmarkId}/versions/{version}/schema", Name = "GetBenchmarkSchema")]
    [Authorize(Roles = RoleSets.BenchmarkReaders)]
    public static async Task<IReadOnlyList<SchemaColumn>> Schema(Guid benchmarkId, int version, IQuerySession session, CancellationToken ct)
    {
        var d = (await Version(benchmarkId, version, session, ct)).Definition;
        var dataset = await session.LoadAsync<Dataset>(d.DatasetId, ct) ?? throw DecisionRejected.NotFound($"data set {d.DatasetId} does not exist");
        var columns = dataset.Versions.Single(v => v.Version == d.DatasetVersion).Columns.ToDictionary(c => c.Name, c => c.Type);
        return [
            new SchemaColumn(d.CaseIdColumn, columns[d.CaseIdColumn], "caseId"),
            .. d.FeatureColumns.Select(f => new SchemaColumn(f, columns[f], "feature")),
            .. d.SubgroupColumns.Select(s => new SchemaColumn(s, columns[s], "subgroup")),
            new SchemaColumn(d.LabelColumn, columns[d.LabelColumn], "label"),
        ];
    }

    [EndpointSummary("A benchmark's history: definitions, revisions and every read of its test data")]
    [WolverineGet("/api/benchmarks/{benchmarkId}/history", Name = "GetBenchmarkHistory")]
    [Authorize(Roles = RoleSets.UsageReaders)]
    public static async Task<IReadOnlyList<RecordedEvent>> History(Guid benchmarkId, IQuerySession session, CancellationToken ct)
    {
        await Load(session, benchmarkId, ct);
        return await StreamHistory.ReadAsync(session, benchmarkId, ct);
    }

    [EndpointSummary("How often the test set has been read, by whom and with or without labels")]
    [WolverineGet("/api/benchmarks/{benchmarkId}/usage", Name = "GetBenchmarkUsage")]
    [Authorize(Roles = RoleSets.UsageReaders)]
    public static async Task<BenchmarkUsage> Usage(Guid benchmarkId, IQuerySession session, CancellationToken ct)
    {
        var b = await Load(session, benchmarkId, ct);
        // Each evaluation is a use of the test set whose results reach a developer: counted, because every look at a
        // sequestered test set spends some of its independence.
        var evaluations = await session.Query<Evaluation>().Where(e => e.BenchmarkId == benchmarkId).ToListAsync(ct);
        var developers = (await session.Query<Submission>().Where(s => s.Manifest.BenchmarkId == benchmarkId).ToListAsync(ct))
            .ToDictionary(s => s.Id, s => s.DeveloperId);
        return new BenchmarkUsage(b.Id, b.Readers.Sum(r => r.Reads),
            b.Readers.Where(r => r.Content == SequesteredContent.FullTestSet).Sum(r => r.Reads), b.Readers,
            evaluations.OrderBy(e => e.Id).Select(e => new TestSetEvaluation(e.Id, e.SubmissionId, developers.GetValueOrDefault(e.SubmissionId),
                e.BenchmarkVersion, e.Status, e.Status == EvaluationStatus.Completed)).ToList());
    }

    internal static async Task<Benchmark> Load(IQuerySession session, Guid id, CancellationToken ct) =>
        await session.LoadAsync<Benchmark>(id, ct) ?? throw DecisionRejected.NotFound($"benchmark {id} does not exist");

    private static BenchmarkView View(Benchmark b, BenchmarkVersion v) => new(b.Id, v.Version, v.Definition, v.Reason,
        v.Definition.AcceptanceCriteria.Select(c => c.Describe(v.Definition.ConfidenceInterval.Level)).ToList(), b.Version);
}
