namespace Ai4h.Audit.Domain.Annotations;

/// <summary>
/// An annotation campaign was opened on an exact data set version: which cases, which label values, who reads
/// (each case by <paramref name="ReadersPerCase"/> of the <paramref name="Annotators"/>, assigned round-robin) and
/// who arbitrates disagreements. <paramref name="ReferenceColumn"/> names the label column of the reference standard.
/// </summary>
public sealed record AnnotationCampaignOpened(
    Guid CampaignId,
    string Name,
    Guid DatasetId,
    int DatasetVersion,
    string DatasetSha256,
    string CaseIdColumn,
    IReadOnlyList<string> CaseIds,
    IReadOnlyList<string> Classes,
    IReadOnlyList<Guid> Annotators,
    int ReadersPerCase,
    Guid Arbitrator,
    string ReferenceColumn);

/// <summary>An annotator labelled a case (blinded: without seeing anyone else's label).</summary>
public sealed record CaseLabelled(Guid CampaignId, string CaseId, Guid AnnotatorId, string Value, double? Confidence, string? Comment);

/// <summary>An annotator changed their own label; the earlier label stays in the record.</summary>
public sealed record CaseLabelCorrected(Guid CampaignId, string CaseId, Guid AnnotatorId, string Value, double? Confidence, string? Comment, string Reason);

/// <summary>The arbitrator decided a case on which the readers disagreed.</summary>
public sealed record CaseAdjudicated(Guid CampaignId, string CaseId, Guid ArbitratorId, string Value, string? Rationale);

/// <summary>Where a reference label came from: the events it rests on.</summary>
public sealed record ReferenceProvenance(string CaseId, string Value, string Basis, IReadOnlyList<Guid> EventIds);

/// <summary>
/// The campaign was closed and its reference standard written as a new, content-addressed version of the data
/// set (<paramref name="ReferenceVersion"/>, <paramref name="Sha256"/>), listing for every case the label and
/// adjudication events it came from.
/// </summary>
public sealed record AnnotationCampaignClosed(
    Guid CampaignId,
    Guid DatasetId,
    int ReferenceVersion,
    string Sha256,
    AgreementReport Agreement,
    IReadOnlyList<ReferenceProvenance> Provenance,
    string? Reason);
