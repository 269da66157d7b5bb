namespace Ai4h.Audit.Domain.Annotations;

public sealed record CaseLabel(Guid AnnotatorId, string Value, double? Confidence, string? Comment, int Corrections);

/// <summary>An annotation campaign, its labels and adjudications, rebuilt from its events (inline).</summary>
public sealed record AnnotationCampaign(
    Guid Id,
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
    string ReferenceColumn,
    IReadOnlyDictionary<string, IReadOnlyList<CaseLabel>> Labels,
    IReadOnlyDictionary<string, string> Adjudications,
    int? ReferenceVersion)
{
    public long Version { get; set; }

    public bool Closed => ReferenceVersion is not null;

    public static AnnotationCampaign Create(AnnotationCampaignOpened e) => new(
        e.CampaignId, e.Name, e.DatasetId, e.DatasetVersion, e.DatasetSha256, e.CaseIdColumn, e.CaseIds, e.Classes,
        e.Annotators, e.ReadersPerCase, e.Arbitrator, e.ReferenceColumn,
        new Dictionary<string, IReadOnlyList<CaseLabel>>(), new Dictionary<string, string>(), null);

    public AnnotationCampaign Apply(CaseLabelled e) => WithLabels(e.CaseId,
        [.. LabelsOf(e.CaseId), new CaseLabel(e.AnnotatorId, e.Value, e.Confidence, e.Comment, 0)]);

    public AnnotationCampaign Apply(CaseLabelCorrected e) => WithLabels(e.CaseId,
        [.. LabelsOf(e.CaseId).Select(l => l.AnnotatorId == e.AnnotatorId
            ? new CaseLabel(e.AnnotatorId, e.Value, e.Confidence, e.Comment, l.Corrections + 1) : l)]);

    public AnnotationCampaign Apply(CaseAdjudicated e) =>
        this with { Adjudications = new Dictionary<string, string>(Adjudications) { [e.CaseId] = e.Value } };

    public AnnotationCampaign Apply(AnnotationCampaignClosed e) => this with { ReferenceVersion = e.ReferenceVersion };

    public IReadOnlyList<CaseLabel> LabelsOf(string caseId) => Labels.TryGetValue(caseId, out var l) ? l : [];

    /// <summary>The readers assigned to a case: round-robin over the annotators, so the load is even.</summary>
    public IReadOnlyList<Guid> ReadersOf(string caseId)
    {
        var index = CaseIdsIndex(caseId);
        return index < 0 ? [] : Enumerable.Range(0, ReadersPerCase).Select(k => Annotators[(index + k) % Annotators.Count]).ToList();
    }

    public bool IsComplete(string caseId) => LabelsOf(caseId).Count == ReadersPerCase;

    public bool IsDisagreement(string caseId) => IsComplete(caseId) && LabelsOf(caseId).Select(l => l.Value).Distinct().Count() > 1;

    private int CaseIdsIndex(string caseId)
    {
        for (var i = 0; i < CaseIds.Count; i++) if (CaseIds[i] == caseId) return i;
        return -1;
    }

    private AnnotationCampaign WithLabels(string caseId, IReadOnlyList<CaseLabel> labels) =>
        this with { Labels = new Dictionary<string, IReadOnlyList<CaseLabel>>(Labels) { [caseId] = labels } };
}
