using Ai4h.Audit.Domain.Annotations;
using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Submissions;
using Marten;

namespace Ai4h.Audit.Api.Dossiers;

/// <summary>
/// Which streams a submission's dossier draws on, as the stored aggregates name them now: the submission's own, the
/// benchmark it names, the test data its benchmark version pins (a benchmark version never changes once recorded), the
/// annotation campaigns whose closing made that data set version, the submission's evaluations and its audit.
/// </summary>
public static class DossierStreams
{
    /// <summary>
    /// A query for the stream ids, with the submission's id as $1, for <see cref="Domain.Record.StreamReads"/> to read in
    /// the same statement: finding and reading the streams is one round trip, every lookup on an index
    /// (docs/performance.md, "Dossier rebuild"). It reads the aggregates' JSON as Marten stores it (member names as in C#),
    /// so renaming a member it names breaks it; DossierReadTests compares it with the same lookups in Marten's LINQ.
    /// </summary>
    public static string IdsSql(IQuerySession session)
    {
        var options = session.DocumentStore.Options;
        string Table<T>() => options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;
        return $"""
            with submission as (
              select id, (data->'Manifest'->>'BenchmarkId')::uuid as benchmark_id, (data->>'BenchmarkVersion')::int as benchmark_version
                from {Table<Submission>()} where id = $1),
            pinned as (
              select (v->'Definition'->>'DatasetId')::uuid as dataset_id, (v->'Definition'->>'DatasetVersion')::int as dataset_version
                from submission s join {Table<Benchmark>()} b on b.id = s.benchmark_id
                cross join lateral jsonb_array_elements(b.data->'Versions') v
               where (v->>'Version')::int = s.benchmark_version)
            select id from submission
            union all select benchmark_id from submission
            union all select dataset_id from pinned
            union all select id from {Table<Evaluation>()} where (data->>'SubmissionId')::uuid = $1
            union all select id from {Table<SubmissionAudit>()} where (data->>'SubmissionId')::uuid = $1
            union all select c.id from {Table<AnnotationCampaign>()} c
              join pinned p on (c.data->>'DatasetId')::uuid = p.dataset_id and (c.data->>'ReferenceVersion')::int = p.dataset_version
            """;
    }

    /// <summary>The annotation campaigns whose closing made this data set version: its reference standard.</summary>
    public static async Task<IReadOnlyList<Guid>> CampaignsBehindAsync(IQuerySession session, Guid datasetId, int datasetVersion, CancellationToken ct) =>
        [.. (await session.Query<AnnotationCampaign>().Where(c => c.DatasetId == datasetId && c.ReferenceVersion == datasetVersion)
            .Select(c => c.Id).ToListAsync(ct)).Order()];
}
