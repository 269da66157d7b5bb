using System.Security.Claims;
using Ai4h.Audit.Api.History;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Api.Submissions;
using Ai4h.Audit.Domain.Annotations;
using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Audits;

public sealed record OpenAudit(Guid TemplateId, string? Reason);

public sealed record AssignAuditor(Discipline Discipline, Guid AuditorId, string? Reason, long? ExpectedVersion);

public sealed record AnswerItem(ItemAnswer Answer, string? Rationale, IReadOnlyList<EvidenceLink>? Evidence, string? Reason, long? ExpectedVersion);

public sealed record RaiseFinding(string ItemId, FindingSeverity Severity, string? Text, long? ExpectedVersion);

public sealed record AnswerFinding(string? Response, long? ExpectedVersion);

public sealed record CloseFinding(string? Resolution, long? ExpectedVersion);

/// <summary>What a write to an audit returns: where it is and the stream version to send with the next command.</summary>
public sealed record AuditChanged(Guid AuditId, long Version, string Url);

/// <summary>
/// Working an audit: the lead opens it against a template version and assigns auditors to disciplines; auditors
/// answer items with evidence and raise findings; the developer answers findings. Every command may carry the
/// audit's stream version it was based on (<c>expectedVersion</c>); a stale one is a 409.
/// </summary>
public static class AuditEndpoints
{
    [EndpointSummary("Open an audit of a submission against a published checklist template version (the caller leads it)")]
    [WolverinePost("/api/submissions/{submissionId}/audits", Name = "OpenAudit")]
    [Authorize(Roles = RoleSets.AuditLeads)]
    public static async Task<IResult> Open(Guid submissionId, OpenAudit command, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var submission = await session.LoadAsync<Submission>(submissionId, ct) ?? throw DecisionRejected.NotFound($"submission {submissionId} does not exist");
        var template = await session.LoadAsync<PublishedTemplate>(command.TemplateId, ct)
            ?? throw DecisionRejected.Invalid("templateId", $"checklist template {command.TemplateId} does not exist");
        var lead = await Account(session, Actor.From(user).UserId, ct);
        var earlier = await session.Query<SubmissionAudit>().Where(a => a.SubmissionId == submissionId).ToListAsync(ct);

        var id = Guid.CreateVersion7();
        session.Events.StartStream<SubmissionAudit>(id, AuditDecisions.Open(id, submission, template, lead, earlier, command.Reason));
        return Results.Created($"/api/audits/{id}", new AuditChanged(id, 1, $"/api/audits/{id}"));
    }

    [EndpointSummary("Assign an auditor to a discipline (the lead; replacing one needs a reason)")]
    [WolverinePost("/api/audits/{auditId}/assignments", Name = "AssignAuditor")]
    [Authorize(Roles = RoleSets.AuditLeads)]
    public static async Task<AuditChanged> Assign(Guid auditId, AssignAuditor command, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var stream = await Fetch(session, auditId, command.ExpectedVersion, ct);
        var audit = stream.Aggregate!;
        var submission = await Submission(session, audit, ct);
        var auditor = await session.LoadAsync<UserAccount>(command.AuditorId, ct)
            ?? throw DecisionRejected.Invalid("auditorId", $"user {command.AuditorId} does not exist");
        stream.AppendOne(AuditDecisions.Assign(audit, submission, command.Discipline, auditor, Actor.From(user).UserId, command.Reason));
        return Changed(auditId, stream.Aggregate!.Version + 1);
    }

    [EndpointSummary("Answer a checklist item (met / not met / not applicable) with the rationale and evidence links; a change needs a reason")]
    [WolverinePost("/api/audits/{auditId}/items/{itemId}/answers", Name = "AnswerItem")]
    [Authorize(Roles = RoleSets.AuditWorkers)]
    public static async Task<AuditChanged> Answer(Guid auditId, string itemId, AnswerItem command, ClaimsPrincipal user, IDocumentSession session,
        CancellationToken ct)
    {
        var stream = await Fetch(session, auditId, command.ExpectedVersion, ct);
        var audit = stream.Aggregate!;
        var template = await Template(session, audit, ct);
        var existing = await ExistingEvidenceAsync(session, command.Evidence ?? [], ct);
        stream.AppendOne(AuditDecisions.Answer(audit, template, itemId, command.Answer, command.Rationale, command.Evidence, Actor.From(user).UserId,
            command.Reason, existing.Contains));
        return Changed(auditId, stream.Aggregate!.Version + 1);
    }

    [EndpointSummary("Raise a finding on an item (minor or major); an open major finding blocks signing the item")]
    [WolverinePost("/api/audits/{auditId}/findings", Name = "RaiseFinding")]
    [Authorize(Roles = RoleSets.AuditWorkers)]
    public static async Task<AuditChanged> Raise(Guid auditId, RaiseFinding command, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var stream = await Fetch(session, auditId, command.ExpectedVersion, ct);
        var audit = stream.Aggregate!;
        stream.AppendOne(AuditDecisions.RaiseFinding(audit, await Template(session, audit, ct), command.ItemId, command.Severity, command.Text,
            Actor.From(user).UserId));
        return Changed(auditId, stream.Aggregate!.Version + 1);
    }

    [EndpointSummary("Answer a finding (the submission's developer)")]
    [WolverinePost("/api/audits/{auditId}/findings/{findingId}/responses", Name = "AnswerFinding")]
    [Authorize(Roles = RoleSets.FindingResponders)]
    public static async Task<AuditChanged> Respond(Guid auditId, Guid findingId, AnswerFinding command, ClaimsPrincipal user, IDocumentSession session,
        CancellationToken ct)
    {
        var stream = await Fetch(session, auditId, command.ExpectedVersion, ct);
        var audit = stream.Aggregate!;
        stream.AppendOne(AuditDecisions.AnswerFinding(audit, await Submission(session, audit, ct), findingId, command.Response, Actor.From(user).UserId));
        return Changed(auditId, stream.Aggregate!.Version + 1);
    }

    [EndpointSummary("Close a finding with its resolution (the auditor who raised it, or the lead)")]
    [WolverinePost("/api/audits/{auditId}/findings/{findingId}/closure", Name = "CloseFinding")]
    [Authorize(Roles = RoleSets.AuditWorkers)]
    public static async Task<AuditChanged> Close(Guid auditId, Guid findingId, CloseFinding command, ClaimsPrincipal user, IDocumentSession session,
        CancellationToken ct)
    {
        var stream = await Fetch(session, auditId, command.ExpectedVersion, ct);
        stream.AppendOne(AuditDecisions.CloseFinding(stream.Aggregate!, findingId, command.Resolution, Actor.From(user).UserId));
        return Changed(auditId, stream.Aggregate!.Version + 1);
    }

    [EndpointSummary("Read an audit: assignments, the current answer to every item, findings, signatures (superseded ones marked), decisions, and its stream version")]
    [WolverineGet("/api/audits/{auditId}", Name = "GetAudit")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<SubmissionAudit> Get(Guid auditId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var audit = await session.LoadAsync<SubmissionAudit>(auditId, ct) ?? throw DecisionRejected.NotFound($"audit {auditId} does not exist");
        await SubmissionQueries.Get(audit.SubmissionId, user, session, ct); // developers: only the audit of their own submission
        return audit with { Signatures = await SignatureEndpoints.WithServerTimesAsync(session, audit, ct) };
    }

    [EndpointSummary("An audit's history: every answer, revision, assignment and finding with who, when and why")]
    [WolverineGet("/api/audits/{auditId}/history", Name = "GetAuditHistory")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<IReadOnlyList<RecordedEvent>> History(Guid auditId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        await Get(auditId, user, session, ct);
        return await StreamHistory.ReadAsync(session, auditId, ct);
    }

    internal static async Task<JasperFx.Events.IEventStream<SubmissionAudit>> Fetch(IDocumentSession session, Guid auditId, long? expectedVersion, CancellationToken ct)
    {
        if (expectedVersion is < 1)
            throw DecisionRejected.Invalid("expectedVersion", "must be a positive whole number (the audit's stream version you last read)");
        var stream = expectedVersion is { } v
            ? await session.Events.FetchForWriting<SubmissionAudit>(auditId, v, ct)
            : await session.Events.FetchForWriting<SubmissionAudit>(auditId, ct);
        return stream.Aggregate is null ? throw DecisionRejected.NotFound($"audit {auditId} does not exist") : stream;
    }

    internal static async Task<ChecklistTemplate> Template(IQuerySession session, SubmissionAudit audit, CancellationToken ct) =>
        (await session.LoadAsync<PublishedTemplate>(audit.TemplateId, ct))?.Template
        ?? throw new InvalidOperationException($"audit {audit.Id} pins template {audit.TemplateId}, which is missing");

    internal static async Task<Submission> Submission(IQuerySession session, SubmissionAudit audit, CancellationToken ct) =>
        await session.LoadAsync<Submission>(audit.SubmissionId, ct)
        ?? throw new InvalidOperationException($"audit {audit.Id} names submission {audit.SubmissionId}, which is missing");

    private static async Task<UserAccount> Account(IQuerySession session, Guid userId, CancellationToken ct) =>
        await session.LoadAsync<UserAccount>(userId, ct) ?? throw new InvalidOperationException($"the signed-in user {userId} has no account");

    /// <summary>Which of the links name records that exist (the decision refuses the others, naming each).</summary>
    internal static async Task<HashSet<EvidenceLink>> ExistingEvidenceAsync(IQuerySession session, IReadOnlyList<EvidenceLink> links, CancellationToken ct)
    {
        var found = new HashSet<EvidenceLink>();
        foreach (var link in links.Distinct())
        {
            var exists = link.Kind switch
            {
                EvidenceKind.Evaluation => await session.LoadAsync<Evaluation>(link.Id, ct) is not null,
                EvidenceKind.Submission => await session.LoadAsync<Submission>(link.Id, ct) is not null,
                EvidenceKind.AnnotationCampaign => await session.LoadAsync<AnnotationCampaign>(link.Id, ct) is not null,
                EvidenceKind.DatasetVersion => (await session.LoadAsync<Dataset>(link.Id, ct))?.Versions.Any(v => v.Version == link.Version) == true,
                EvidenceKind.Event => await session.Events.LoadAsync(link.Id, ct) is not null,
                _ => false,
            };
            if (exists) found.Add(link);
        }
        return found;
    }

    private static AuditChanged Changed(Guid auditId, long version) => new(auditId, version, $"/api/audits/{auditId}");
}
