using System.Security.Claims;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Api.Submissions;
using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Audits;

/// <summary>A signing request: the signer re-authenticates with their own user name and password in the same request.</summary>
public sealed record Sign(string UserName, string Password, SignatureMeaning Meaning, long? ExpectedVersion)
{
    // Records print every property; the password must not reach a log or an exception by way of ToString.
    public override string ToString() => $"Sign {{ UserName = {UserName}, Meaning = {Meaning}, ExpectedVersion = {ExpectedVersion} }}";
}

public sealed record Decide(string UserName, string Password, DecisionOutcome Outcome, string? Reasoning, IReadOnlyList<EvidenceLink>? Evidence,
    Guid? Supersedes, long? ExpectedVersion)
{
    public override string ToString() => $"Decide {{ UserName = {UserName}, Outcome = {Outcome}, Supersedes = {Supersedes}, ExpectedVersion = {ExpectedVersion} }}";
}

/// <summary>Why a submission stands where it does: the decision in force and the whole chain of evidence under it.</summary>
public sealed record WhyAnswer(Guid SubmissionId, Guid AuditId, DecisionState? Decision, IReadOnlyList<DecisionState> Decisions,
    IReadOnlyList<SignatureState> Signatures, IReadOnlyDictionary<string, AnswerState> Answers, IReadOnlyList<FindingState> Findings,
    IReadOnlyList<Evaluation> Evaluations, IReadOnlyList<string> Missing, string TemplateKey, int TemplateVersion, string TemplateSha256);

/// <summary>
/// Part 11 electronic signatures on audits: each signature re-authenticates the signer in the request, records the
/// printed name, the server time and the meaning, and binds to the SHA-256 of the content signed.
/// </summary>
public static class SignatureEndpoints
{
    [EndpointSummary("Sign an item's current answer (the discipline's assigned auditor; re-authenticate with user name and password)")]
    [EnableRateLimiting(PasswordRateLimit.Policy)]
    [WolverinePost("/api/audits/{auditId}/items/{itemId}/signatures", Name = "SignItem")]
    [Authorize(Roles = RoleSets.AuditWorkers)]
    public static async Task<AuditChanged> SignItem(Guid auditId, string itemId, Sign command, ClaimsPrincipal user, IDocumentSession session,
        Reauthentication reauthentication, CancellationToken ct)
    {
        var signer = await reauthentication.VerifyAsync(Actor.From(user).UserId, command.UserName, command.Password, $"sign item {itemId} of audit {auditId}", ct);
        var (stream, template, submission) = await LoadAsync(session, auditId, command.ExpectedVersion, ct);
        stream.AppendOne(SignatureDecisions.SignItem(stream.Aggregate!, template, submission, itemId, signer, command.Meaning));
        return new AuditChanged(auditId, stream.Aggregate!.Version + 1, $"/api/audits/{auditId}");
    }

    [EndpointSummary("Sign off the whole checklist (the lead; re-authenticate): completes the audit when every item is signed and no major finding is open")]
    [EnableRateLimiting(PasswordRateLimit.Policy)]
    [WolverinePost("/api/audits/{auditId}/signoff", Name = "SignOffChecklist")]
    [Authorize(Roles = RoleSets.AuditLeads)]
    public static async Task<AuditChanged> SignOff(Guid auditId, Sign command, ClaimsPrincipal user, IDocumentSession session,
        Reauthentication reauthentication, CancellationToken ct)
    {
        var signer = await reauthentication.VerifyAsync(Actor.From(user).UserId, command.UserName, command.Password, $"sign off audit {auditId}", ct);
        var (stream, template, submission) = await LoadAsync(session, auditId, command.ExpectedVersion, ct);
        stream.AppendOne(SignatureDecisions.SignChecklist(stream.Aggregate!, template, submission, signer, command.Meaning));
        return new AuditChanged(auditId, stream.Aggregate!.Version + 1, $"/api/audits/{auditId}");
    }

    [EndpointSummary("Record a regulator's decision on an audited submission (re-authenticate); 409 naming what is missing while the audit is incomplete")]
    [EnableRateLimiting(PasswordRateLimit.Policy)]
    [WolverinePost("/api/audits/{auditId}/decisions", Name = "RecordDecision")]
    [Authorize(Roles = RoleSets.Regulators)]
    public static async Task<AuditChanged> Decide(Guid auditId, Decide command, ClaimsPrincipal user, IDocumentSession session,
        Reauthentication reauthentication, CancellationToken ct)
    {
        var regulator = await reauthentication.VerifyAsync(Actor.From(user).UserId, command.UserName, command.Password, $"decide on audit {auditId}", ct);
        var (stream, template, _) = await LoadAsync(session, auditId, command.ExpectedVersion, ct);
        var existing = await AuditEndpoints.ExistingEvidenceAsync(session, command.Evidence ?? [], ct);
        stream.AppendOne(SignatureDecisions.Decide(stream.Aggregate!, template, regulator, command.Outcome, command.Reasoning, command.Evidence,
            command.Supersedes, existing.Contains));
        return new AuditChanged(auditId, stream.Aggregate!.Version + 1, $"/api/audits/{auditId}");
    }

    [EndpointSummary("Why does this submission stand where it does? The decision, the signatures, the checklist answers, findings and the evaluations it rests on")]
    [WolverineGet("/api/submissions/{submissionId}/why", Name = "ExplainDecision")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<WhyAnswer> Why(Guid submissionId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        await SubmissionQueries.Get(submissionId, user, session, ct);
        var audit = await session.Query<SubmissionAudit>().FirstOrDefaultAsync(a => a.SubmissionId == submissionId, ct)
            ?? throw DecisionRejected.NotFound($"submission {submissionId} has not been audited");
        var template = await AuditEndpoints.Template(session, audit, ct);
        var signatures = await WithServerTimesAsync(session, audit, ct);

        // The evaluations it rests on: those linked as evidence anywhere in the audit or the decision, and the submission's own.
        var linked = audit.Answers.Values.SelectMany(a => a.Evidence).Concat(audit.AllDecisions.SelectMany(d => d.Evidence))
            .Where(l => l.Kind == EvidenceKind.Evaluation).Select(l => l.Id).ToHashSet();
        var evaluations = (await session.Query<Evaluation>().Where(e => e.SubmissionId == submissionId).ToListAsync(ct)).ToList();
        foreach (var id in linked.Where(id => evaluations.All(e => e.Id != id)))
            if (await session.LoadAsync<Evaluation>(id, ct) is { } other) evaluations.Add(other);

        return new WhyAnswer(submissionId, audit.Id, audit.CurrentDecision, audit.AllDecisions, signatures, audit.Answers, audit.Findings,
            evaluations.OrderBy(e => e.Id).ToList(), SignatureDecisions.Missing(audit, template), audit.TemplateKey, audit.TemplateVersion, audit.TemplateSha256);
    }

    /// <summary>Signatures with the server time of the event that recorded each (the signing time shown with it).</summary>
    internal static async Task<IReadOnlyList<SignatureState>> WithServerTimesAsync(IQuerySession session, SubmissionAudit audit, CancellationToken ct)
    {
        var times = (await session.Events.FetchStreamAsync(audit.Id, token: ct))
            .Where(e => e.Data is ItemSigned or ChecklistSigned).Select(e => e.Timestamp.ToUniversalTime()).ToList();
        return audit.AllSignatures.Select((s, i) => s with { SignedAt = i < times.Count ? times[i] : s.SignedAt }).ToList();
    }

    private static async Task<(JasperFx.Events.IEventStream<SubmissionAudit> Stream, ChecklistTemplate Template, Submission Submission)> LoadAsync(
        IDocumentSession session, Guid auditId, long? expectedVersion, CancellationToken ct)
    {
        var stream = await AuditEndpoints.Fetch(session, auditId, expectedVersion, ct);
        return (stream, await AuditEndpoints.Template(session, stream.Aggregate!, ct), await AuditEndpoints.Submission(session, stream.Aggregate!, ct));
    }
}
