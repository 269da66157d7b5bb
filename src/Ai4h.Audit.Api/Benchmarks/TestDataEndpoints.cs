using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Benchmarks;

/// <summary>
/// Reads of a benchmark's sequestered test data. Each read is recorded (who, which version, why) and committed
/// before a single byte is sent; if it cannot be recorded, nothing is sent.
/// </summary>
public static class TestDataEndpoints
{
    [EndpointSummary("Download the full test set of a benchmark version, labels included (recorded read)")]
    [WolverineGet("/api/benchmarks/{benchmarkId}/versions/{version}/test-data", Name = "ReadSequesteredTestSet")]
    [Authorize(Roles = RoleSets.SequesteredReaders)]
    public static Task<IResult> FullTestSet(Guid benchmarkId, int version, string? purpose, HttpContext context,
        IDocumentSession session, CancellationToken ct) =>
        Read(benchmarkId, version, purpose, SequesteredContent.FullTestSet, context, session, ct);

    [EndpointSummary("Download a benchmark version's cases without labels (recorded read)")]
    [EndpointDescription("Case ids, features and subgroups. Model developers may read these unless the benchmark hides the whole test set.")]
    [WolverineGet("/api/benchmarks/{benchmarkId}/versions/{version}/cases", Name = "ReadTestCases")]
    [Authorize(Roles = RoleSets.CaseReaders)]
    public static Task<IResult> CasesWithoutLabels(Guid benchmarkId, int version, string? purpose, HttpContext context,
        IDocumentSession session, CancellationToken ct) =>
        Read(benchmarkId, version, purpose, SequesteredContent.CasesWithoutLabels, context, session, ct);

    private static async Task<IResult> Read(Guid benchmarkId, int version, string? purpose, SequesteredContent content,
        HttpContext context, IDocumentSession session, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(purpose) || purpose.Length > 500)
            throw DecisionRejected.Invalid("purpose", "say why you read the test data (1 to 500 characters); it is recorded");
        var benchmark = await BenchmarkQueries.Load(session, benchmarkId, ct);
        var definition = (benchmark.Versions.FirstOrDefault(v => v.Version == version)
            ?? throw DecisionRejected.NotFound($"benchmark {benchmarkId} has no version {version}")).Definition;

        var actor = Actor.From(context.User);
        var sequesteredRole = actor.RoleIn(RoleSets.SequesteredReaders);
        if (sequesteredRole is null && definition.HideRows)
            throw new AccessForbidden("this benchmark hides its whole test set from model developers",
                [Role.DataSteward, Role.Auditor, Role.AuditLead]);

        var (info, bytes) = await TestData.LoadAsync(session, definition.DatasetId, definition.DatasetVersion, ct);
        var readerRole = sequesteredRole ?? actor.RoleIn(RoleSets.CaseReaders)!.Value;
        session.Events.Append(benchmarkId, new SequesteredDataRead(benchmarkId, version, definition.DatasetId,
            definition.DatasetVersion, info.Sha256, content, purpose.Trim(), actor.UserId, readerRole.ToString()));
        await session.SaveChangesAsync(ct);

        var body = content == SequesteredContent.FullTestSet
            ? bytes
            : CsvWriter.WithoutColumns(CsvProfiler.ReadRows(bytes), [definition.LabelColumn]);
        var name = content == SequesteredContent.FullTestSet ? "test-set" : "cases";
        return Results.File(body, "text/csv", $"benchmark-{benchmarkId:N}-v{version}-{name}.csv");
    }
}
