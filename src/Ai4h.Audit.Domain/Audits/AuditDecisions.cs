using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;

namespace Ai4h.Audit.Domain.Audits;

/// <summary>The pure decisions of the Audits capability: (command, state) → events, each refusal naming its rule.</summary>
public static class AuditDecisions
{
    public const int MaxText = 4000;

    public static ChecklistTemplatePublished Publish(Guid templateId, ChecklistTemplate template, string? reason) =>
        new(templateId, template.Key, template.Version, ChecklistTemplates.ContentSha256(template), template, Clean(reason));

    public static AuditOpened Open(Guid auditId, Submission submission, PublishedTemplate template, UserAccount lead, IEnumerable<SubmissionAudit> earlier, string? reason)
    {
        if (earlier.FirstOrDefault() is { } audit)
            throw DecisionRejected.Conflict($"submission {submission.Id} is already under audit {audit.Id}");
        CheckIndependent(lead, submission, "the audit lead");
        return new AuditOpened(auditId, submission.Id, template.Id, template.Key, template.TemplateVersion, template.ContentSha256, lead.Id, Clean(reason));
    }

    public static AuditorAssigned Assign(SubmissionAudit audit, Submission submission, Discipline discipline, UserAccount auditor, Guid actorId, string? reason)
    {
        if (actorId != audit.LeadId) throw new DutyViolation("only the audit's lead assigns auditors");
        if (!auditor.Roles.Contains(Role.Auditor) && !auditor.Roles.Contains(Role.AuditLead))
            throw DecisionRejected.Invalid("auditorId", $"user '{auditor.UserName}' is not an auditor");
        if (auditor.Roles.Contains(Role.Regulator))
            throw new DutyViolation("a regulator cannot be an auditor: the regulator decides on the audit's outcome");
        CheckIndependent(auditor, submission, "an auditor");
        if (audit.Auditors.TryGetValue(discipline, out var current))
        {
            if (current == auditor.Id) throw DecisionRejected.Conflict($"'{auditor.UserName}' is already the {discipline} auditor");
            if (string.IsNullOrWhiteSpace(reason)) throw DecisionRejected.Invalid("reason", "replacing an assigned auditor needs the reason");
        }
        return new AuditorAssigned(audit.Id, discipline, auditor.Id, Clean(reason));
    }

    /// <param name="exists">Whether the record an evidence link names exists (checked by the caller against the store).</param>
    public static ItemAnswered Answer(SubmissionAudit audit, ChecklistTemplate template, string itemId, ItemAnswer answer, string? rationale,
        IReadOnlyList<EvidenceLink>? evidence, Guid actorId, string? reason, Func<EvidenceLink, bool> exists)
    {
        var item = Item(template, itemId);
        if (!audit.Auditors.TryGetValue(item.Discipline, out var assigned) || assigned != actorId)
            throw new DutyViolation($"only the auditor assigned to {item.Discipline} answers item {item.Id}");
        if (Text.IsBlank(rationale) || rationale!.Length > MaxText)
            throw DecisionRejected.Invalid("rationale", $"give the rationale for the answer (1 to {MaxText} characters)");
        evidence ??= [];
        if (item.EvidenceRequired && answer != ItemAnswer.NotApplicable && evidence.Count == 0)
            throw DecisionRejected.Invalid("evidence", $"item {item.Id} needs evidence links (evaluations, data set versions, campaigns, submissions or events)");
        for (var i = 0; i < evidence.Count; i++)
        {
            var link = evidence[i];
            if (link.Kind == EvidenceKind.DatasetVersion && link.Version is null)
                throw DecisionRejected.Invalid($"evidence[{i}].version", "a data set version link names the version");
            if (!exists(link))
                throw DecisionRejected.Invalid($"evidence[{i}]", $"{link.Kind} {link.Id}{(link.Version is { } v ? $" version {v}" : "")} does not exist");
        }

        var revision = 1;
        if (audit.Answers.TryGetValue(item.Id, out var previous))
        {
            if (previous.Answer == answer && previous.Rationale == rationale.Trim() && previous.Evidence.SequenceEqual(evidence))
                throw DecisionRejected.Conflict($"item {item.Id} already has this answer");
            if (string.IsNullOrWhiteSpace(reason)) throw DecisionRejected.Invalid("reason", "changing an answer needs the reason for the change");
            revision = previous.Revision + 1;
        }
        return new ItemAnswered(audit.Id, item.Id, revision, answer, rationale.Trim(), evidence, actorId, Clean(reason));
    }

    public static FindingRaised RaiseFinding(SubmissionAudit audit, ChecklistTemplate template, string itemId, FindingSeverity severity, string? text, Guid actorId)
    {
        var item = Item(template, itemId);
        if (!audit.IsMember(actorId)) throw new DutyViolation("only the audit's lead and assigned auditors raise findings");
        if (Text.IsBlank(text) || text!.Length > MaxText) throw DecisionRejected.Invalid("text", $"describe the finding (1 to {MaxText} characters)");
        return new FindingRaised(audit.Id, Guid.CreateVersion7(), item.Id, severity, text.Trim(), actorId);
    }

    public static FindingAnswered AnswerFinding(SubmissionAudit audit, Submission submission, Guid findingId, string? response, Guid actorId)
    {
        var finding = OpenFinding(audit, findingId);
        if (actorId != submission.DeveloperId) throw new DutyViolation("only the submission's developer answers its findings");
        if (Text.IsBlank(response) || response!.Length > MaxText) throw DecisionRejected.Invalid("response", $"answer the finding (1 to {MaxText} characters)");
        return new FindingAnswered(audit.Id, finding.Id, response.Trim(), actorId);
    }

    public static FindingClosed CloseFinding(SubmissionAudit audit, Guid findingId, string? resolution, Guid actorId)
    {
        var finding = OpenFinding(audit, findingId);
        if (actorId != finding.RaisedBy && actorId != audit.LeadId) throw new DutyViolation("only the auditor who raised a finding, or the lead, closes it");
        if (Text.IsBlank(resolution) || resolution!.Length > MaxText)
            throw DecisionRejected.Invalid("resolution", $"say how the finding was resolved (1 to {MaxText} characters)");
        return new FindingClosed(audit.Id, finding.Id, resolution.Trim(), actorId);
    }

    /// <summary>Nobody assesses their own submission or their own organisation's.</summary>
    public static void CheckIndependent(UserAccount user, Submission submission, string who)
    {
        if (user.Id == submission.DeveloperId) throw new DutyViolation($"{who} cannot be the submission's own developer");
        if (user.Organisation is { } org && string.Equals(org.Trim(), submission.Manifest.DeveloperOrganisation.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new DutyViolation($"{who} cannot belong to the developer's organisation ({org})");
    }

    private static ChecklistItem Item(ChecklistTemplate template, string itemId) =>
        template.Items.FirstOrDefault(i => i.Id == itemId) ?? throw DecisionRejected.NotFound($"the checklist has no item '{itemId}'");

    private static FindingState OpenFinding(SubmissionAudit audit, Guid findingId)
    {
        var finding = audit.Findings.FirstOrDefault(f => f.Id == findingId) ?? throw DecisionRejected.NotFound($"audit {audit.Id} has no finding {findingId}");
        return finding.IsOpen ? finding : throw DecisionRejected.Conflict($"finding {findingId} is closed");
    }

    private static string? Clean(string? reason) => Text.Reason(reason);
}

/// <summary>Signatures and decisions: who may sign what, when an audit is complete, and what a signature binds to.</summary>
public static class SignatureDecisions
{
    private static readonly System.Text.Json.JsonSerializerOptions Canonical = new()
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>The content an item signature binds to: the item and its exact answer revision.</summary>
    public static string ItemContentSha256(SubmissionAudit audit, ChecklistItem item, AnswerState answer) => Hash(new
    {
        audit = audit.Id, submission = audit.SubmissionId, template = audit.TemplateSha256, item = item.Id, text = item.Text,
        revision = answer.Revision, answer = answer.Answer, rationale = answer.Rationale, evidence = answer.Evidence,
    });

    /// <summary>The content the lead's checklist signature binds to: every current answer and the item signatures on them.</summary>
    public static string ChecklistContentSha256(SubmissionAudit audit, ChecklistTemplate template) => Hash(new
    {
        audit = audit.Id, submission = audit.SubmissionId, template = audit.TemplateSha256,
        items = template.Items.Select(i => new { item = i.Id, answer = audit.Answers[i.Id], signature = audit.ItemSignature(i.Id)?.ContentSha256 }),
    });

    public static ItemSigned SignItem(SubmissionAudit audit, ChecklistTemplate template, Submission submission, string itemId, UserAccount signer, SignatureMeaning meaning)
    {
        var item = template.Items.FirstOrDefault(i => i.Id == itemId) ?? throw DecisionRejected.NotFound($"the checklist has no item '{itemId}'");
        AuditDecisions.CheckIndependent(signer, submission, "a signer");
        if (!audit.Auditors.TryGetValue(item.Discipline, out var assigned) || assigned != signer.Id)
            throw new DutyViolation($"only the auditor assigned to {item.Discipline} signs item {item.Id}");
        if (audit.Completed) throw DecisionRejected.Conflict("the checklist is signed off; change an answer first to reopen it");
        var answer = audit.Answers.GetValueOrDefault(item.Id) ?? throw DecisionRejected.Conflict($"item {item.Id} has no answer to sign");
        if (audit.Findings.FirstOrDefault(f => f.ItemId == item.Id && f.IsOpen && f.Severity == FindingSeverity.Major) is { } finding)
            throw DecisionRejected.Conflict($"item {item.Id} has an open major finding ({finding.Id}); it cannot be signed until the finding is closed");
        if (audit.ItemSignature(item.Id) is not null) throw DecisionRejected.Conflict($"revision {answer.Revision} of item {item.Id} is signed already");
        return new ItemSigned(audit.Id, item.Id, answer.Revision, signer.Id, signer.PrintedName, meaning, ItemContentSha256(audit, item, answer));
    }

    /// <summary>What still stands between the audit and its completion (empty when the lead may sign it off).</summary>
    public static IReadOnlyList<string> Missing(SubmissionAudit audit, ChecklistTemplate template)
    {
        var missing = new List<string>();
        var unanswered = template.Items.Where(i => !audit.Answers.ContainsKey(i.Id)).Select(i => i.Id).ToList();
        if (unanswered.Count > 0) missing.Add($"items not answered: {string.Join(", ", unanswered)}");
        var unsigned = template.Items.Where(i => audit.Answers.ContainsKey(i.Id) && audit.ItemSignature(i.Id) is null).Select(i => i.Id).ToList();
        if (unsigned.Count > 0) missing.Add($"items not signed on their current answer: {string.Join(", ", unsigned)}");
        var major = audit.Findings.Where(f => f.IsOpen && f.Severity == FindingSeverity.Major).Select(f => $"{f.Id} (item {f.ItemId})").ToList();
        if (major.Count > 0) missing.Add($"open major findings: {string.Join(", ", major)}");
        if (!audit.Completed) missing.Add("the lead has not signed off the checklist");
        return missing;
    }

    public static ChecklistSigned SignChecklist(SubmissionAudit audit, ChecklistTemplate template, Submission submission, UserAccount signer, SignatureMeaning meaning)
    {
        if (signer.Id != audit.LeadId) throw new DutyViolation("only the audit's lead signs off the checklist");
        AuditDecisions.CheckIndependent(signer, submission, "a signer");
        if (audit.Completed) throw DecisionRejected.Conflict("the checklist is signed off already");
        var missing = Missing(audit, template).Where(m => !m.StartsWith("the lead", StringComparison.Ordinal)).ToList();
        if (missing.Count > 0) throw DecisionRejected.Conflict($"the checklist cannot be signed off yet: {string.Join("; ", missing)}");
        var signers = template.Items.Select(i => audit.ItemSignature(i.Id)!.SignerId).Append(signer.Id).Distinct().ToList();
        // Four eyes: the lead alone cannot complete an audit.
        if (signers.Count < 2) throw new DutyViolation("completing a checklist needs at least two distinct signers, the lead included");
        return new ChecklistSigned(audit.Id, signer.Id, signer.PrintedName, meaning, ChecklistContentSha256(audit, template), signers);
    }

    public static DecisionRecorded Decide(SubmissionAudit audit, ChecklistTemplate template, UserAccount regulator, DecisionOutcome outcome, string? reasoning,
        IReadOnlyList<EvidenceLink>? evidence, Guid? supersedes, Func<EvidenceLink, bool> exists)
    {
        if (!regulator.Roles.Contains(Role.Regulator)) throw new DutyViolation("only a regulator records decisions");
        if (audit.IsMember(regulator.Id)) throw new DutyViolation("a regulator who took part in the audit cannot decide on it");
        // A withdrawal must stay possible whatever happened to the audit since (a correction reopens it).
        var missing = outcome == DecisionOutcome.Withdrawn ? [] : Missing(audit, template);
        if (missing.Count > 0) throw DecisionRejected.Conflict($"the audit is not complete: {string.Join("; ", missing)}");
        if (Text.IsBlank(reasoning) || reasoning!.Length > AuditDecisions.MaxText)
            throw DecisionRejected.Invalid("reasoning", $"give the reasoning for the decision (1 to {AuditDecisions.MaxText} characters)");
        evidence ??= [];
        for (var i = 0; i < evidence.Count; i++)
            if (!exists(evidence[i])) throw DecisionRejected.Invalid($"evidence[{i}]", $"{evidence[i].Kind} {evidence[i].Id} does not exist");

        var current = audit.CurrentDecision;
        if (current is null && supersedes is not null) throw DecisionRejected.Invalid("supersedes", "there is no decision to supersede");
        if (current is not null && supersedes != current.Id)
            throw DecisionRejected.Conflict($"decision {current.Id} is in force; a new decision must name it in 'supersedes'");
        if (current is null && outcome == DecisionOutcome.Withdrawn) throw DecisionRejected.Invalid("outcome", "there is no decision to withdraw");

        var id = Guid.CreateVersion7();
        var content = DecisionContentSha256(audit, id, outcome, reasoning.Trim(), evidence, supersedes);
        return new DecisionRecorded(audit.Id, id, audit.SubmissionId, outcome, reasoning.Trim(), evidence, regulator.Id, regulator.PrintedName, content, supersedes);
    }

    /// <summary>
    /// The content a decision binds to: the outcome, reasoning and evidence, and the checklist sign-off in force when it
    /// was made (<paramref name="audit"/> as it stood just before the decision).
    /// </summary>
    public static string DecisionContentSha256(SubmissionAudit audit, Guid decisionId, DecisionOutcome outcome, string reasoning,
        IReadOnlyList<EvidenceLink> evidence, Guid? supersedes) =>
        Hash(new { audit = audit.Id, submission = audit.SubmissionId, decision = decisionId, outcome, reasoning, evidence,
            checklist = audit.AllSignatures.LastOrDefault(s => s.ItemId is null && !s.Superseded)?.ContentSha256, supersedes });

    private static string Hash(object content) => Sha256.Hex(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(content, Canonical));
}
