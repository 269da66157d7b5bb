using System.Security.Claims;
using Ai4h.Audit.Api.Audits;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Api.Submissions;
using Ai4h.Audit.Domain.Annotations;
using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Dossiers;

/// <summary>
/// Where a decision or a signature comes from: the content it is bound to, re-hashed now from the audit as it stood
/// just before it was made, then the signatures, answers and evidence under it, down to the artefacts' stored bytes.
/// </summary>
public static class SignatureTraceEndpoints
{
    [EndpointSummary("The chain under the decision in force on a submission: decision, checklist sign-off, item signatures, answers and evidence, each re-checked")]
    [WolverineGet("/api/submissions/{submissionId}/decision/trace", Name = "TraceDecision")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<EvidenceTrace> Decision(Guid submissionId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        await SubmissionQueries.Get(submissionId, user, session, ct);
        var audit = await session.Query<SubmissionAudit>().FirstOrDefaultAsync(a => a.SubmissionId == submissionId, ct)
            ?? throw DecisionRejected.NotFound($"submission {submissionId} has not been audited");
        var current = audit.CurrentDecision ?? throw DecisionRejected.NotFound($"no decision is in force on submission {submissionId}");
        var events = await session.Events.FetchStreamAsync(audit.Id, token: ct);
        var recorded = events.Last(e => e.Data is DecisionRecorded d && d.DecisionId == current.Id);
        return await TraceAsync(session, audit.Id, events, recorded, ct);
    }

    [EndpointSummary("The chain under one signature or decision of an audit (by the id of the event that recorded it), its bound content re-hashed")]
    [WolverineGet("/api/audits/{auditId}/signatures/{eventId}/trace", Name = "TraceSignature")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<EvidenceTrace> Signature(Guid auditId, Guid eventId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        await AuditEndpoints.Get(auditId, user, session, ct);
        var events = await session.Events.FetchStreamAsync(auditId, token: ct);
        var signed = events.FirstOrDefault(e => e.Id == eventId && e.Data is ItemSigned or ChecklistSigned or DecisionRecorded)
            ?? throw DecisionRejected.NotFound($"audit {auditId} has no signature or decision recorded by event {eventId}");
        return await TraceAsync(session, auditId, events, signed, ct);
    }

    private static async Task<EvidenceTrace> TraceAsync(IQuerySession session, Guid auditId, IReadOnlyList<IEvent> events, IEvent signed, CancellationToken ct)
    {
        // What the signer saw: the audit just before the signature. Re-hashing it shows the signature still fits its content.
        var before = await session.Events.AggregateStreamAsync<SubmissionAudit>(auditId, version: signed.Version - 1, token: ct)
            ?? throw new InvalidOperationException($"audit {auditId} has no events before version {signed.Version}");
        var template = await AuditEndpoints.Template(session, before, ct);
        var chain = new List<TraceLink>();
        var claim = "";
        switch (signed.Data)
        {
            case DecisionRecorded d:
                claim = $"decision {d.DecisionId} ({d.Outcome}) on submission {d.SubmissionId}";
                chain.Add(Link($"decision: {d.Outcome}", $"by {d.PrintedName} at {Utc(signed)}; reasoning: {d.Reasoning}" +
                    (d.Supersedes is { } s ? $"; supersedes decision {s}" : ""), signed, d.ContentSha256,
                    SignatureDecisions.DecisionContentSha256(before, d.DecisionId, d.Outcome, d.Reasoning, d.Evidence, d.Supersedes)));
                // A decision stays in force until a regulator withdraws or supersedes it, even when the audit under it changes
                // afterwards (which reopens the audit): its reader is told, first, what is no longer as it was decided on.
                foreach (var later in events.Where(e => e.Version > signed.Version))
                    if (ChangeAfterDecision(later) is var (what, detail)) chain.Add(Link(what, detail, later));
                foreach (var link in d.Evidence) chain.Add(await EvidenceAsync(session, "decision evidence", link, ct));
                if (before.AllSignatures.LastOrDefault(x => x.ItemId is null && !x.Superseded) is { } signOff
                    && events.LastOrDefault(e => e.Version < signed.Version && e.Data is ChecklistSigned c && c.ContentSha256 == signOff.ContentSha256) is { } signOffEvent)
                    await ChecklistAsync(session, chain, auditId, events, signOffEvent, ct);
                break;
            case ChecklistSigned:
                claim = $"checklist sign-off of audit {auditId}";
                await ChecklistAsync(session, chain, auditId, events, signed, ct, before, template);
                break;
            case ItemSigned i:
                claim = $"signature on item {i.ItemId} of audit {auditId}";
                await ItemAsync(session, chain, before, template, events, signed, ct);
                break;
        }
        chain.Add(Link("checklist template", $"{before.TemplateKey} version {before.TemplateVersion}, as the audit pinned it",
            events[0], before.TemplateSha256, ChecklistTemplates.ContentSha256(template)));
        return new EvidenceTrace(claim, chain);
    }

    private static async Task ChecklistAsync(IQuerySession session, List<TraceLink> chain, Guid auditId, IReadOnlyList<IEvent> events, IEvent signOff,
        CancellationToken ct, SubmissionAudit? before = null, ChecklistTemplate? template = null)
    {
        before ??= await session.Events.AggregateStreamAsync<SubmissionAudit>(auditId, version: signOff.Version - 1, token: ct)
            ?? throw new InvalidOperationException($"audit {auditId} has no events before version {signOff.Version}");
        template ??= await AuditEndpoints.Template(session, before, ct);
        var c = (ChecklistSigned)signOff.Data;
        chain.Add(Link($"checklist signed off ({c.Meaning})", $"by {c.PrintedName} at {Utc(signOff)}; {c.Signers.Count} distinct signers", signOff,
            c.ContentSha256, SignatureDecisions.ChecklistContentSha256(before, template)));
        // Each item's signature in force at the sign-off is on the answer then current, so the same state re-hashes it.
        foreach (var item in template.Items)
        {
            var signature = before.ItemSignature(item.Id);
            var signedBy = signature is null ? null
                : events.LastOrDefault(e => e.Version < signOff.Version && e.Data is ItemSigned s && s.ItemId == item.Id && s.ContentSha256 == signature.ContentSha256);
            if (signedBy is not null) await ItemAsync(session, chain, before, template, events, signedBy, ct);
        }
    }

    private static async Task ItemAsync(IQuerySession session, List<TraceLink> chain, SubmissionAudit before, ChecklistTemplate template,
        IReadOnlyList<IEvent> events, IEvent signed, CancellationToken ct)
    {
        var s = (ItemSigned)signed.Data;
        var item = template.Items.First(i => i.Id == s.ItemId);
        var answer = before.Answers[s.ItemId];
        chain.Add(Link($"item {item.Id} signed ({s.Meaning})", $"by {s.PrintedName} at {Utc(signed)} on answer revision {s.Revision}", signed,
            s.ContentSha256, SignatureDecisions.ItemContentSha256(before, item, answer)));
        var answered = events.Last(e => e.Data is ItemAnswered a && a.ItemId == s.ItemId && a.Revision == s.Revision);
        chain.Add(Link($"item {item.Id} answered: {answer.Answer}", $"revision {answer.Revision}: {answer.Rationale}", answered));
        foreach (var link in answer.Evidence) chain.Add(await EvidenceAsync(session, $"item {item.Id} evidence", link, ct));
    }

    // Per request (a session lives for one): the same evidence, say an evaluation every item cites, is resolved and its
    // artefact re-hashed once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IQuerySession, Dictionary<EvidenceLink, TraceLink>> Resolved = new();

    /// <summary>An evidence link resolved to the event that recorded its record, with the artefact re-hashed where there is one.</summary>
    internal static async Task<TraceLink> EvidenceAsync(IQuerySession session, string what, EvidenceLink link, CancellationToken ct)
    {
        var resolved = Resolved.GetOrCreateValue(session);
        if (!resolved.TryGetValue(link, out var found)) resolved[link] = found = await ResolveAsync(session, "", link, ct);
        return found with { What = what + found.What };
    }

    private static async Task<TraceLink> ResolveAsync(IQuerySession session, string what, EvidenceLink link, CancellationToken ct)
    {
        switch (link.Kind)
        {
            case EvidenceKind.Evaluation:
                var evaluation = await session.Events.FetchStreamAsync(link.Id, token: ct);
                if (evaluation.LastOrDefault(e => e.Data is EvaluationCompleted) is { } done)
                {
                    var completed = (EvaluationCompleted)done.Data;
                    return await TraceEndpoints.ArtefactAsync(session, $"{what}: evaluation", $"{link.Id}, completed; per-case predictions",
                        done, completed.Provenance.PredictionsSha256, ct);
                }
                return Missing(what, link, evaluation.LastOrDefault());
            case EvidenceKind.DatasetVersion:
                var dataset = await session.Events.FetchStreamAsync(link.Id, token: ct);
                return dataset.FirstOrDefault(e => e.Data is DatasetVersionUploaded u && u.Version == link.Version) is { } upload
                    ? await TraceEndpoints.ArtefactAsync(session, $"{what}: data set version", $"data set {link.Id} version {link.Version}", upload,
                        ((DatasetVersionUploaded)upload.Data).Sha256, ct)
                    : Missing(what, link, null);
            case EvidenceKind.Submission:
                var submission = (await session.Events.FetchStreamAsync(link.Id, token: ct)).FirstOrDefault();
                return submission?.Data is ModelSubmitted m
                    ? await TraceEndpoints.ArtefactAsync(session, $"{what}: model", $"{m.Manifest.ModelName} {m.Manifest.ModelVersion}", submission,
                        m.ModelSha256, ct)
                    : Missing(what, link, null);
            case EvidenceKind.AnnotationCampaign:
                var campaign = await session.Events.FetchStreamAsync(link.Id, token: ct);
                return campaign.LastOrDefault(e => e.Data is AnnotationCampaignClosed) is { } closed
                    ? Link($"{what}: annotation campaign", $"campaign {link.Id}, closed as reference version {((AnnotationCampaignClosed)closed.Data).ReferenceVersion}", closed)
                    : Missing(what, link, campaign.LastOrDefault());
            default:
                var e = await session.Events.LoadAsync(link.Id, ct);
                return e is null ? Missing(what, link, null) : Link($"{what}: event", $"{e.EventTypeName} in stream {e.StreamId}", e);
        }
    }

    private static TraceLink Missing(string what, EvidenceLink link, IEvent? latest) =>
        new($"{what}: {link.Kind}", latest is null ? $"{link.Id}: not found in the record" : $"{link.Id}: not completed (latest event {latest.EventTypeName})",
            latest?.Id, latest?.Sequence, null, latest is null ? false : null);

    private static (string What, string Detail)? ChangeAfterDecision(IEvent e) => e.Data switch
    {
        ItemAnswered a => ($"after this decision: item {a.ItemId} answered again: {a.Answer}",
            $"revision {a.Revision} by {e.UserName} at {Utc(e)}; reason: {a.Reason}. The audit was reopened; the decision stays in force until a regulator withdraws or supersedes it"),
        FindingRaised f => ($"after this decision: {f.Severity.ToString().ToLowerInvariant()} finding raised on item {f.ItemId}",
            $"by {e.UserName} at {Utc(e)}: {f.Text}"),
        _ => null,
    };

    private static TraceLink Link(string what, string detail, IEvent e) => new(what, detail, e.Id, e.Sequence, null, null);

    private static TraceLink Link(string what, string detail, IEvent e, string sha, string recomputed) => new(what, detail, e.Id, e.Sequence, sha, sha == recomputed);

    private static string Utc(IEvent e) => e.Timestamp.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'");
}
