using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Benchmarks;

public sealed record BenchmarkVersionResponse(Guid BenchmarkId, int Version, string Url);

public static class DefineBenchmarkEndpoint
{
    [EndpointSummary("Define a benchmark on an exact data set version")]
    [EndpointDescription("Validated against the data: the columns exist, labels fit the task type, features are numeric and complete, subgroups are categorical, metrics and criteria fit the task. Every problem is listed, each under its field.")]
    [WolverinePost("/api/benchmarks", Name = "DefineBenchmark")]
    [Authorize(Roles = RoleSets.BenchmarkWriters)]
    public static async Task<IResult> Post(BenchmarkRequest request, IDocumentSession session, CancellationToken ct)
    {
        var (info, bytes) = await TestData.LoadAsync(session, request.DatasetId, request.DatasetVersion, ct);
        var id = Guid.CreateVersion7();
        var defined = BenchmarkDecisions.Define(id, request.ToDefinition(info.Sha256), info, bytes, request.Reason);
        session.Events.StartStream<Benchmark>(id, defined);
        var url = $"/api/benchmarks/{id}/versions/1";
        return Results.Created(url, new BenchmarkVersionResponse(id, 1, url));
    }
}

public static class ReviseBenchmarkEndpoint
{
    [EndpointSummary("Revise a benchmark: a new version with the whole definition and the reason")]
    [WolverinePost("/api/benchmarks/{benchmarkId}/versions", Name = "ReviseBenchmark")]
    [Authorize(Roles = RoleSets.BenchmarkWriters)]
    public static async Task<IResult> Post(Guid benchmarkId, BenchmarkRequest request, IDocumentSession session, CancellationToken ct)
    {
        if (request.ExpectedVersion is < 1)
            throw DecisionRejected.Invalid("expectedVersion", "must be a positive whole number (the benchmark's stream version you last read)");
        var stream = await session.Events.FetchForWriting<Benchmark>(benchmarkId, ct);
        var benchmark = stream.Aggregate ?? throw DecisionRejected.NotFound($"benchmark {benchmarkId} does not exist");
        if (request.ExpectedVersion is { } expected && expected != stream.CurrentVersion)
            throw DecisionRejected.Conflict($"the benchmark's stream is at version {stream.CurrentVersion}, not {expected}; read it again");

        var (info, bytes) = await TestData.LoadAsync(session, request.DatasetId, request.DatasetVersion, ct);
        var revised = BenchmarkDecisions.Revise(benchmark, request.ToDefinition(info.Sha256), info, bytes, request.Reason);
        stream.AppendOne(revised);
        var url = $"/api/benchmarks/{benchmarkId}/versions/{revised.Version}";
        return Results.Created(url, new BenchmarkVersionResponse(benchmarkId, revised.Version, url));
    }
}
