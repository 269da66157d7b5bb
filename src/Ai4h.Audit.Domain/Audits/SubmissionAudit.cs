namespace Ai4h.Audit.Domain.Audits;

/// <summary>The current answer to an item: which revision, what, why, on what evidence, by whom.</summary>
public sealed record AnswerState(int Revision, ItemAnswer Answer, string Rationale, IReadOnlyList<EvidenceLink> Evidence, Guid AnsweredBy);

/// <summary>A finding and where it stands.</summary>
public sealed record FindingState(Guid Id, string ItemId, FindingSeverity Severity, string Text, Guid RaisedBy, string? Response, string? Resolution)
{
    public bool IsOpen => Resolution is null;
}

/// <summary>A signature as the record shows it; <see cref="Superseded"/> once the content it signed has changed.</summary>
public sealed record SignatureState(string? ItemId, int? Revision, Guid SignerId, string PrintedName, SignatureMeaning Meaning, string ContentSha256,
    DateTimeOffset? SignedAt, bool Superseded);

/// <summary>A regulator's decision as recorded (a signature: printed name, server time, outcome), and whether a later one superseded it.</summary>
public sealed record DecisionState(Guid Id, DecisionOutcome Outcome, string Reasoning, IReadOnlyList<EvidenceLink> Evidence, Guid RegulatorId,
    string PrintedName, string ContentSha256, Guid? Supersedes, bool SupersededByLater, DateTimeOffset? DecidedAt = null);

/// <summary>An audit of one submission, rebuilt from its events (inline).</summary>
public sealed record SubmissionAudit(
    Guid Id,
    Guid SubmissionId,
    Guid TemplateId,
    string TemplateKey,
    int TemplateVersion,
    string TemplateSha256,
    Guid LeadId,
    IReadOnlyDictionary<Discipline, Guid> Auditors,
    IReadOnlyDictionary<string, AnswerState> Answers,
    IReadOnlyList<FindingState> Findings,
    IReadOnlyList<SignatureState>? Signatures = null,
    IReadOnlyList<DecisionState>? Decisions = null,
    bool Completed = false)
{
    public IReadOnlyList<SignatureState> AllSignatures => Signatures ?? [];

    public IReadOnlyList<DecisionState> AllDecisions => Decisions ?? [];

    /// <summary>The decision in force: the latest one not superseded.</summary>
    public DecisionState? CurrentDecision => AllDecisions.LastOrDefault(d => !d.SupersededByLater);

    public long Version { get; set; }

    public static SubmissionAudit Create(AuditOpened e) => new(e.AuditId, e.SubmissionId, e.TemplateId, e.TemplateKey, e.TemplateVersion, e.TemplateSha256,
        e.LeadId, new Dictionary<Discipline, Guid>(), new Dictionary<string, AnswerState>(), []);

    public SubmissionAudit Apply(AuditorAssigned e) => this with { Auditors = new Dictionary<Discipline, Guid>(Auditors) { [e.Discipline] = e.AuditorId } };

    public SubmissionAudit Apply(ItemAnswered e) => this with
    {
        Answers = new Dictionary<string, AnswerState>(Answers) { [e.ItemId] = new(e.Revision, e.Answer, e.Rationale, e.Evidence, e.AnsweredBy) },
        // A changed answer is no longer what was signed: the signatures stay, shown as superseded, and so does the lead's.
        Signatures = [.. AllSignatures.Select(s => s.ItemId == e.ItemId || s.ItemId is null ? s with { Superseded = true } : s)],
        Completed = false,
    };

    public SubmissionAudit Apply(JasperFx.Events.IEvent<ItemSigned> e) => this with
    {
        Signatures = [.. AllSignatures, new SignatureState(e.Data.ItemId, e.Data.Revision, e.Data.SignerId, e.Data.PrintedName, e.Data.Meaning,
            e.Data.ContentSha256, e.Timestamp == default ? null : e.Timestamp, false)],
    };

    public SubmissionAudit Apply(JasperFx.Events.IEvent<ChecklistSigned> e) => this with
    {
        Signatures = [.. AllSignatures, new SignatureState(null, null, e.Data.SignerId, e.Data.PrintedName, e.Data.Meaning, e.Data.ContentSha256,
            e.Timestamp == default ? null : e.Timestamp, false)],
        Completed = true,
    };

    public SubmissionAudit Apply(JasperFx.Events.IEvent<DecisionRecorded> recorded)
    {
        var e = recorded.Data;
        return this with
        {
            Decisions = [.. AllDecisions.Select(d => d.Id == e.Supersedes ? d with { SupersededByLater = true } : d),
                new DecisionState(e.DecisionId, e.Outcome, e.Reasoning, e.Evidence, e.RegulatorId, e.PrintedName, e.ContentSha256, e.Supersedes, false,
                    recorded.Timestamp == default ? null : recorded.Timestamp)],
        };
    }

    /// <summary>The signature in force on an item: by its current answer revision and not superseded.</summary>
    public SignatureState? ItemSignature(string itemId) =>
        AllSignatures.LastOrDefault(s => s.ItemId == itemId && !s.Superseded && Answers.TryGetValue(itemId, out var a) && a.Revision == s.Revision);

    public SubmissionAudit Apply(FindingRaised e) => this with { Findings = [.. Findings, new(e.FindingId, e.ItemId, e.Severity, e.Text, e.RaisedBy, null, null)] };

    public SubmissionAudit Apply(FindingAnswered e) => WithFinding(e.FindingId, f => f with { Response = e.Response });

    public SubmissionAudit Apply(FindingClosed e) => WithFinding(e.FindingId, f => f with { Resolution = e.Resolution });

    /// <summary>Whether the user takes part in this audit (lead or assigned auditor).</summary>
    public bool IsMember(Guid userId) => LeadId == userId || Auditors.Values.Contains(userId);

    private SubmissionAudit WithFinding(Guid id, Func<FindingState, FindingState> change) =>
        this with { Findings = [.. Findings.Select(f => f.Id == id ? change(f) : f)] };
}
