namespace Ai4h.Audit.Domain.Audits;

/// <summary>
/// A checklist template version was published: its whole content, pinned by <paramref name="ContentSha256"/>. Later
/// versions are new streams; an audit keeps the version it was opened with.
/// </summary>
public sealed record ChecklistTemplatePublished(Guid TemplateId, string Key, int Version, string ContentSha256, ChecklistTemplate Template, string? Reason);

/// <summary>An audit of a submission was opened by its lead against an exact template version.</summary>
public sealed record AuditOpened(Guid AuditId, Guid SubmissionId, Guid TemplateId, string TemplateKey, int TemplateVersion, string TemplateSha256,
    Guid LeadId, string? Reason);

/// <summary>The lead assigned an auditor to a discipline (a later assignment to the same discipline replaces it, with a reason).</summary>
public sealed record AuditorAssigned(Guid AuditId, Discipline Discipline, Guid AuditorId, string? Reason);

/// <summary>What an auditor found for an item.</summary>
public enum ItemAnswer { Met, NotMet, NotApplicable }

/// <summary>What a piece of evidence is: each kind names a record that must exist when the link is made.</summary>
public enum EvidenceKind { Evaluation, DatasetVersion, AnnotationCampaign, Submission, Event }

/// <summary>A link from an answer to the record it rests on (<paramref name="Version"/>: the data set version, for that kind).</summary>
public sealed record EvidenceLink(EvidenceKind Kind, Guid Id, int? Version = null);

/// <summary>
/// An auditor answered an item (revision 1), or changed the answer (revision n+1, with the reason). Earlier answers
/// stay on record; a signature binds to the revision it signed.
/// </summary>
public sealed record ItemAnswered(Guid AuditId, string ItemId, int Revision, ItemAnswer Answer, string Rationale, IReadOnlyList<EvidenceLink> Evidence,
    Guid AnsweredBy, string? Reason);

public enum FindingSeverity { Minor, Major }

/// <summary>An auditor raised a finding on an item that the developer must answer. An open major finding blocks signing the item.</summary>
public sealed record FindingRaised(Guid AuditId, Guid FindingId, string ItemId, FindingSeverity Severity, string Text, Guid RaisedBy);

/// <summary>The submission's developer answered a finding.</summary>
public sealed record FindingAnswered(Guid AuditId, Guid FindingId, string Response, Guid AnsweredBy);

/// <summary>An auditor closed a finding, saying how it was resolved.</summary>
public sealed record FindingClosed(Guid AuditId, Guid FindingId, string Resolution, Guid ClosedBy);

/// <summary>What a signer means by a signature (21 CFR 11.50(a)(3)).</summary>
public enum SignatureMeaning { Reviewed, Approved, Authored, Responsible }

/// <summary>
/// An auditor signed an item's answer after re-authenticating: printed name and meaning as shown, bound to the SHA-256
/// of the canonical content signed (the item and the exact answer revision with its rationale and evidence). A later
/// revision of the answer supersedes the signature; it stays on record.
/// </summary>
public sealed record ItemSigned(Guid AuditId, string ItemId, int Revision, Guid SignerId, string PrintedName, SignatureMeaning Meaning, string ContentSha256);

/// <summary>
/// The lead signed the whole checklist after re-authenticating, completing the audit: bound to the SHA-256 of every
/// current answer and item signature. Only allowed when every item is answered and signed and no major finding is open.
/// </summary>
public sealed record ChecklistSigned(Guid AuditId, Guid SignerId, string PrintedName, SignatureMeaning Meaning, string ContentSha256, IReadOnlyList<Guid> Signers);

/// <summary>A regulator's decision on the audited submission.</summary>
public enum DecisionOutcome { Approved, ApprovedWithConditions, Rejected, MoreInformationRequested, Withdrawn }

/// <summary>
/// A regulator recorded a decision, with reasoning and the evidence it rests on, after re-authenticating. A later
/// decision names the one it supersedes; nothing is withdrawn any other way.
/// </summary>
public sealed record DecisionRecorded(Guid AuditId, Guid DecisionId, Guid SubmissionId, DecisionOutcome Outcome, string Reasoning,
    IReadOnlyList<EvidenceLink> Evidence, Guid RegulatorId, string PrintedName, string ContentSha256, Guid? Supersedes);
