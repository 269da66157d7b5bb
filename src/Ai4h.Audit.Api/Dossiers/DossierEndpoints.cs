using System.Security.Claims;
using System.Text.Json;
using Ai4h.Audit.Api.History;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Api.Submissions;
using Ai4h.Audit.Domain.Annotations;
using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Dossiers;

/// <summary>One event that contributed to the dossier, as the appendix lists it.</summary>
public sealed record DossierEvent(Guid EventId, long Sequence, Guid StreamId, string Type, DateTimeOffset At, string? Actor, string? Reason);

/// <summary>
/// How the test data's reference standard was made: the annotation campaign whose closing produced the data set version
/// the benchmark tests on, with its readers, adjudications, corrections and inter-reader agreement.
/// </summary>
public sealed record ReferenceStandard(Guid CampaignId, string Name, int AnnotatedVersion, int ReferenceVersion, int Cases, int Annotators,
    int ReadersPerCase, int Adjudications, int CorrectedLabels, AgreementReport Agreement);

/// <summary>
/// The whole story of one submission as the record stood after <see cref="ReflectsSequence"/>: the model, the
/// benchmark version and its test data, every evaluation, the audit with its signatures and decisions, and every
/// event behind them. <see cref="ContentSha256"/> is the hash of everything else, so two readers can tell they hold
/// the same dossier; <see cref="Format"/> names the shape that hash is over.
/// </summary>
public sealed record Dossier(
    string Format,
    Guid SubmissionId,
    long ReflectsSequence,
    DateTimeOffset? ReflectsTime,
    Submission Submission,
    BenchmarkVersion? Benchmark,
    IReadOnlyList<string> AcceptanceCriteria,
    DatasetVersionInfo? TestData,
    IReadOnlyList<ReferenceStandard> ReferenceStandards,
    IReadOnlyList<Evaluation> Evaluations,
    SubmissionAudit? Audit,
    IReadOnlyList<DossierEvent> Events,
    string ContentSha256)
{
    /// <summary>
    /// The dossier's shape, and so what its content hash is over. Any change to what a dossier contains or how it is
    /// written (a field added, renamed or reordered) takes a new name, so a hash recorded under one format is never
    /// compared with a rebuild in another as if a difference meant a changed record.
    /// </summary>
    public const string CurrentFormat = "ai4h.dossier/1";
}

/// <summary>
/// Dossiers are built from the events each time, never stored: the current one from every event, an earlier one
/// ("what did the regulator see when they approved?") from the events up to a sequence number or a moment, each
/// stream aggregated by Marten to the version it had then. The same events always give the same bytes.
/// </summary>
public static class DossierEndpoints
{
    [EndpointSummary("A submission's dossier, now or as it stood at a past sequence number or moment (asOfSequence, asOf), built from the events")]
    [WolverineGet("/api/submissions/{submissionId}/dossier", Name = "GetDossier")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<Dossier> Get(Guid submissionId, long? asOfSequence, DateTimeOffset? asOf, ClaimsPrincipal user, IQuerySession session,
        HttpRequest request, CancellationToken ct)
    {
        QueryValues.Parsed(request, ("asOfSequence", asOfSequence), ("asOf", asOf));
        await SubmissionQueries.Get(submissionId, user, session, ct);
        return await BuildAsync(session, submissionId, asOfSequence, asOf, ct);
    }

    [EndpointSummary("Export a submission's dossier as PDF (format=pdf) or JSON (format=json, the machine-readable twin); the export is recorded")]
    [WolverineGet("/api/submissions/{submissionId}/dossier/export", Name = "ExportDossier")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<IResult> Export(Guid submissionId, string? format, long? asOfSequence, string? purpose, ClaimsPrincipal user,
        IDocumentSession session, HttpRequest request, CancellationToken ct)
    {
        QueryValues.Parsed(request, ("asOfSequence", asOfSequence));
        format = string.IsNullOrWhiteSpace(format) ? "pdf" : format.Trim().ToLowerInvariant();
        if (format is not ("pdf" or "json")) throw DecisionRejected.Invalid("format", "must be 'pdf' or 'json'");
        if (purpose is { Length: > 500 }) throw DecisionRejected.Invalid("purpose", "must be at most 500 characters");
        await SubmissionQueries.Get(submissionId, user, session, ct);
        var dossier = await BuildAsync(session, submissionId, asOfSequence, null, ct);
        // Recorded and committed before a byte is sent: every copy in circulation is on the record.
        session.Events.Append(submissionId, new DossierExported(submissionId, format, dossier.ReflectsSequence, dossier.ContentSha256,
            string.IsNullOrWhiteSpace(purpose) ? null : purpose.Trim()));
        await session.SaveChangesAsync(ct);
        var name = $"dossier-{submissionId:N}-seq{dossier.ReflectsSequence}";
        return format == "json"
            ? Results.File(JsonSerializer.SerializeToUtf8Bytes(dossier, DossierJson.Default.Dossier), "application/json", $"{name}.json")
            : Results.File(Ai4h.Audit.Dossiers.Pdf.DossierPdf.Render(DossierDocumentMapping.ToDocument(dossier)), "application/pdf", $"{name}.pdf");
    }

    public static async Task<Dossier> BuildAsync(IQuerySession session, Guid submissionId, long? asOfSequence, DateTimeOffset? asOf, CancellationToken ct)
    {
        if (asOfSequence is < 1) throw DecisionRejected.Invalid("asOfSequence", "must be a positive sequence number");

        // Exports are about the dossier, not part of it: leaving them out keeps a dossier's hash stable when it is exported.
        bool Included(IEvent e) => (asOfSequence is not { } n || e.Sequence <= n) && (asOf is not { } t || e.Timestamp <= t) && e.Data is not DossierExported;
        // Every stream the dossier draws on is read once, all in one statement, and cut at the same point; each aggregate is
        // folded from the events already read. Documents only say which streams to read (docs/performance.md, "Dossier rebuild").
        var streams = new Dictionary<Guid, List<IEvent>>();
        var cut = new Dictionary<Guid, List<IEvent>>();
        async Task ReadAsync(IEnumerable<Guid> ids)
        {
            foreach (var (id, events) in await StreamReads.ReadAsync(session, ids.Where(id => !streams.ContainsKey(id)).Distinct().ToArray(), ct))
                streams[id] = events;
        }
        List<IEvent> EventsOf(Guid id) => cut.TryGetValue(id, out var events) ? events
            : cut[id] = streams.TryGetValue(id, out var all) ? all.Where(Included).ToList() : [];
        var aggregators = ((StoreOptions)session.DocumentStore.Options).Projections;
        // Marten folds each stream up to the last event the cut includes (null when it includes none), with the
        // aggregate's own Create/Apply conventions, exactly as AggregateStreamAsync would after reading them again.
        async Task<T?> AsOf<T>(Guid id) where T : class
        {
            if (EventsOf(id).LastOrDefault() is not { } last) return null;
            var upTo = streams[id].Where(e => e.Version <= last.Version).ToList();
            return await aggregators.AggregatorFor<T>().BuildAsync(upTo, session, null, ct);
        }

        // Which streams, and every event of them, in one round trip; each stream's part is told by its first event.
        foreach (var (id, read) in await StreamReads.ReadAsync(session, DossierStreams.IdsSql(session), [submissionId], ct)) streams[id] = read;
        List<Guid> StreamsStartingWith<TFirst>() => [.. streams.Where(s => s.Value[0].Data is TFirst).Select(s => s.Key).Order()];

        var submissionEvents = EventsOf(submissionId);
        if (submissionEvents.Count == 0) throw DecisionRejected.NotFound($"submission {submissionId} did not exist at that point");
        var submission = Submission.Create((ModelSubmitted)submissionEvents[0].Data);
        var benchmark = await AsOf<Benchmark>(submission.Manifest.BenchmarkId);
        var version = benchmark?.Versions.FirstOrDefault(v => v.Version == submission.BenchmarkVersion);

        Dataset? dataset = null;
        var references = new List<ReferenceStandard>();
        if (version is not null)
        {
            var (datasetId, datasetVersion) = (version.Definition.DatasetId, version.Definition.DatasetVersion);
            var campaignIds = StreamsStartingWith<AnnotationCampaignOpened>();
            if (!streams.ContainsKey(datasetId))
            {
                // Only if the benchmark's stored state lagged its events: find and read the test data's streams now.
                campaignIds = [.. await DossierStreams.CampaignsBehindAsync(session, datasetId, datasetVersion, ct)];
                await ReadAsync([datasetId, .. campaignIds]);
            }
            dataset = await AsOf<Dataset>(datasetId);
            foreach (var id in campaignIds)
                if (await AsOf<AnnotationCampaign>(id) is { ReferenceVersion: { } reference } c && c.DatasetId == datasetId && reference == datasetVersion)
                    references.Add(new ReferenceStandard(c.Id, c.Name, c.DatasetVersion, reference, c.CaseIds.Count, c.Annotators.Count, c.ReadersPerCase,
                        c.Adjudications.Count, c.Labels.Values.Sum(labels => labels.Count(l => l.Corrections > 0)), AnnotationDecisions.Agreement(c)));
        }
        var evaluations = new List<Evaluation>();
        foreach (var id in StreamsStartingWith<EvaluationRequested>())
            if (await AsOf<Evaluation>(id) is { } evaluation) evaluations.Add(evaluation);
        var audit = StreamsStartingWith<AuditOpened>() is [var audited, ..] ? await AsOf<SubmissionAudit>(audited) : null;

        var events = cut.Values.SelectMany(stream => stream).OrderBy(e => e.Sequence).Select(e =>
        {
            var recorded = StreamHistory.ToRecorded(e);
            return new DossierEvent(e.Id, e.Sequence, e.StreamId, e.EventTypeName, recorded.RecordedAt, e.UserName, recorded.Reason);
        }).ToList();

        var dossier = new Dossier(Dossier.CurrentFormat, submissionId, events[^1].Sequence, events[^1].At, submission, version,
            version?.Definition.AcceptanceCriteria.Select(c => c.Describe(version.Definition.ConfidenceInterval.Level)).ToList() ?? [],
            dataset?.Versions.FirstOrDefault(v => v.Version == version?.Definition.DatasetVersion), references, evaluations, audit, events, "");
        return dossier with { ContentSha256 = Sha256.OfJson(dossier, DossierJson.Default.Dossier) };
    }
}
