using Ai4h.Audit.Api.History;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Benchmarks;

public sealed record BenchmarkSummary(Guid Id, string Name, TaskType TaskType, int CurrentVersion, long StreamVersion);

public sealed record BenchmarkView(Guid Id, int Version, BenchmarkDefinition Definition, string? Reason, IReadOnlyList<string> AcceptanceCriteriaText, long StreamVersion);

public sealed record BenchmarkUsage(Guid BenchmarkId, int TotalReads, int LabelReads, IReadOnlyList<TestSetReader> Readers);

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
        return new BenchmarkUsage(b.Id, b.Readers.Sum(r => r.Reads),
            b.Readers.Where(r => r.Content == SequesteredContent.FullTestSet).Sum(r => r.Reads), b.Readers);
    }

    internal static async Task<Benchmark> Load(IQuerySession session, Guid id, CancellationToken ct) =>
        await session.LoadAsync<Benchmark>(id, ct) ?? throw DecisionRejected.NotFound($"benchmark {id} does not exist");

    private static BenchmarkView View(Benchmark b, BenchmarkVersion v) => new(b.Id, v.Version, v.Definition, v.Reason,
        v.Definition.AcceptanceCriteria.Select(c => c.Describe(v.Definition.ConfidenceInterval.Level)).ToList(), b.Version);
}
