using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Domain.Annotations;

public sealed record OpenCampaign(
    string Name,
    Guid DatasetId,
    int DatasetVersion,
    string CaseIdColumn,
    IReadOnlyList<string>? CaseIds,
    IReadOnlyList<string> Classes,
    IReadOnlyList<Guid> Annotators,
    int ReadersPerCase,
    Guid Arbitrator,
    string ReferenceColumn);

/// <summary>Outcome of a label, correction or adjudication request that the caller is not entitled to make.</summary>
public sealed class NotYours(string rule) : Exception(rule);

/// <summary>The pure decisions of annotation campaigns: who may label what, when, and what the reference is.</summary>
public static class AnnotationDecisions
{
    public static AnnotationCampaignOpened Open(Guid campaignId, OpenCampaign c, DatasetVersionInfo data, byte[] bytes, Func<Guid, bool> userExists)
    {
        if (string.IsNullOrWhiteSpace(c.Name)) throw DecisionRejected.Invalid("name", "a campaign needs a name");
        var rows = CsvProfiler.ReadRows(bytes);
        var header = rows[0].ToList();
        var idIndex = header.IndexOf(c.CaseIdColumn);
        if (idIndex < 0) throw DecisionRejected.Invalid("caseIdColumn", $"column '{c.CaseIdColumn}' does not exist in data set version {data.Version}");
        var allIds = rows.Skip(1).Select(r => r[idIndex].Trim()).ToList();
        if (allIds.Distinct().Count() != allIds.Count) throw DecisionRejected.Invalid("caseIdColumn", $"column '{c.CaseIdColumn}' has duplicate case ids");
        var cases = c.CaseIds is { Count: > 0 } ? c.CaseIds : allIds;
        var unknown = cases.Except(allIds).Take(5).ToList();
        if (unknown.Count > 0) throw DecisionRejected.Invalid("caseIds", $"not in the data set version: {string.Join(", ", unknown)}");
        if (cases.Distinct().Count() != cases.Count) throw DecisionRejected.Invalid("caseIds", "a case is listed twice");

        if (c.Classes is not { Count: >= 2 } || c.Classes.Distinct().Count() != c.Classes.Count || c.Classes.Any(string.IsNullOrWhiteSpace))
            throw DecisionRejected.Invalid("classes", "give at least two distinct, non-empty label values");
        if (c.Annotators is not { Count: >= 1 } || c.Annotators.Distinct().Count() != c.Annotators.Count)
            throw DecisionRejected.Invalid("annotators", "assign at least one annotator, each once");
        if (c.ReadersPerCase < 1 || c.ReadersPerCase > c.Annotators.Count)
            throw DecisionRejected.Invalid("readersPerCase", $"must be 1 to the number of annotators ({c.Annotators.Count})");
        foreach (var user in c.Annotators.Append(c.Arbitrator).Where(u => !userExists(u)))
            throw DecisionRejected.Invalid(user == c.Arbitrator ? "arbitrator" : "annotators", $"user {user} does not exist");
        if (c.Annotators.Contains(c.Arbitrator)) throw DecisionRejected.Invalid("arbitrator", "the arbitrator must not be one of the annotators");
        if (string.IsNullOrWhiteSpace(c.ReferenceColumn) || header.Contains(c.ReferenceColumn))
            throw DecisionRejected.Invalid("referenceColumn", "name a new column for the reference label (it must not exist yet)");

        return new AnnotationCampaignOpened(campaignId, c.Name.Trim(), c.DatasetId, data.Version, data.Sha256, c.CaseIdColumn,
            cases, c.Classes, c.Annotators, c.ReadersPerCase, c.Arbitrator, c.ReferenceColumn.Trim());
    }

    public static CaseLabelled Label(AnnotationCampaign campaign, Guid annotator, string caseId, string value, double? confidence, string? comment)
    {
        CheckLabelling(campaign, annotator, caseId, value, confidence);
        if (campaign.LabelsOf(caseId).Any(l => l.AnnotatorId == annotator))
            throw DecisionRejected.Conflict($"you have labelled case '{caseId}' already; send a correction with a reason instead");
        return new CaseLabelled(campaign.Id, caseId, annotator, value, confidence, Clean(comment));
    }

    public static CaseLabelCorrected Correct(AnnotationCampaign campaign, Guid annotator, string caseId, string value, double? confidence, string? comment, string? reason)
    {
        CheckLabelling(campaign, annotator, caseId, value, confidence);
        if (string.IsNullOrWhiteSpace(reason)) throw DecisionRejected.Invalid("reason", "a correction needs the reason for it");
        var mine = campaign.LabelsOf(caseId).FirstOrDefault(l => l.AnnotatorId == annotator)
            ?? throw DecisionRejected.Conflict($"you have not labelled case '{caseId}' yet; there is nothing to correct");
        if (campaign.Adjudications.ContainsKey(caseId)) throw DecisionRejected.Conflict($"case '{caseId}' has been adjudicated; labels are final");
        if (mine.Value == value) throw DecisionRejected.Conflict($"your label for case '{caseId}' is already '{value}'");
        return new CaseLabelCorrected(campaign.Id, caseId, annotator, value, confidence, Clean(comment), reason.Trim());
    }

    public static CaseAdjudicated Adjudicate(AnnotationCampaign campaign, Guid arbitrator, string caseId, string value, string? rationale)
    {
        if (arbitrator != campaign.Arbitrator) throw new NotYours("only the campaign's arbitrator adjudicates");
        CheckOpen(campaign);
        CheckCase(campaign, caseId);
        CheckValue(campaign, value);
        if (!campaign.IsComplete(caseId)) throw DecisionRejected.Conflict($"case '{caseId}' is still being read ({campaign.LabelsOf(caseId).Count} of {campaign.ReadersPerCase} labels)");
        if (!campaign.IsDisagreement(caseId)) throw DecisionRejected.Conflict($"the readers agree on case '{caseId}'; there is nothing to adjudicate");
        if (campaign.Adjudications.ContainsKey(caseId)) throw DecisionRejected.Conflict($"case '{caseId}' has been adjudicated already");
        return new CaseAdjudicated(campaign.Id, caseId, arbitrator, value, Clean(rationale));
    }

    /// <summary>The reference label of every case, or the reason the campaign cannot close yet.</summary>
    public static IReadOnlyList<(string CaseId, string Value, string Basis)> ReferenceLabels(AnnotationCampaign campaign)
    {
        CheckOpen(campaign);
        var unread = campaign.CaseIds.Where(id => !campaign.IsComplete(id)).ToList();
        if (unread.Count > 0)
            throw DecisionRejected.Conflict($"{unread.Count} case(s) are not fully read yet, e.g. {string.Join(", ", unread.Take(5))}");
        var waiting = campaign.CaseIds.Where(id => campaign.IsDisagreement(id) && !campaign.Adjudications.ContainsKey(id)).ToList();
        if (waiting.Count > 0)
            throw DecisionRejected.Conflict($"{waiting.Count} disagreement(s) await the arbitrator, e.g. {string.Join(", ", waiting.Take(5))}");
        return campaign.CaseIds.Select(id => campaign.Adjudications.TryGetValue(id, out var v)
            ? (id, v, "adjudicated")
            : (id, campaign.LabelsOf(id)[0].Value, campaign.ReadersPerCase == 1 ? "single reader" : "unanimous")).ToList();
    }

    /// <summary>The reference standard: the source table with the reference label column added (cases outside the campaign left empty).</summary>
    public static byte[] ReferenceTable(AnnotationCampaign campaign, byte[] sourceBytes, IReadOnlyList<(string CaseId, string Value, string Basis)> labels)
    {
        var rows = CsvProfiler.ReadRows(sourceBytes);
        var idIndex = rows[0].ToList().IndexOf(campaign.CaseIdColumn);
        var byCase = labels.ToDictionary(l => l.CaseId, l => l.Value);
        var output = new List<IReadOnlyList<string>>();
        output.Add([.. rows[0], campaign.ReferenceColumn]);
        output.AddRange(rows.Skip(1).Select(r => (IReadOnlyList<string>)[.. r, byCase.GetValueOrDefault(r[idIndex].Trim(), "")]));
        return CsvWriter.Write(output);
    }

    /// <summary>Agreement among the readers, from the current labels (corrections included).</summary>
    public static AgreementReport Agreement(AnnotationCampaign campaign)
    {
        var complete = campaign.CaseIds.Where(campaign.IsComplete).ToList();
        if (campaign.ReadersPerCase < 2 || complete.Count == 0)
            return new AgreementReport("none", complete.Count, campaign.ReadersPerCase, null, 0, []);

        if (campaign.Annotators.Count == 2 && campaign.ReadersPerCase == 2)
        {
            var (a, b) = (campaign.Annotators[0], campaign.Annotators[1]);
            var pairs = complete.Select(id =>
            {
                var labels = campaign.LabelsOf(id);
                return (labels.Single(l => l.AnnotatorId == a).Value, labels.Single(l => l.AnnotatorId == b).Value);
            }).ToList();
            return new AgreementReport("cohen", complete.Count, 2, Annotations.Agreement.Cohen(pairs, campaign.Classes),
                pairs.Count(p => p.Item1 == p.Item2) / (double)pairs.Count,
                [.. campaign.Classes.Select(k => new ClassAgreement(k, Annotations.Agreement.CohenForClass(pairs, k)))]);
        }

        var counts = complete.Select(id => campaign.Classes.Select(k => campaign.LabelsOf(id).Count(l => l.Value == k)).ToArray()).ToArray();
        var (kappa, observed, perClass) = Annotations.Agreement.Fleiss(counts);
        return new AgreementReport("fleiss", complete.Count, campaign.ReadersPerCase, kappa, observed,
            [.. campaign.Classes.Select((k, j) => new ClassAgreement(k, perClass[j]))]);
    }

    private static void CheckLabelling(AnnotationCampaign campaign, Guid annotator, string caseId, string value, double? confidence)
    {
        CheckOpen(campaign);
        CheckCase(campaign, caseId);
        if (!campaign.ReadersOf(caseId).Contains(annotator)) throw new NotYours($"case '{caseId}' is not assigned to you in this campaign");
        CheckValue(campaign, value);
        if (confidence is { } c && c is not (>= 0 and <= 1)) throw DecisionRejected.Invalid("confidence", "must be between 0 and 1");
    }

    private static void CheckOpen(AnnotationCampaign campaign)
    {
        if (campaign.Closed) throw DecisionRejected.Conflict("the campaign is closed");
    }

    private static void CheckCase(AnnotationCampaign campaign, string caseId)
    {
        if (!campaign.CaseIds.Contains(caseId)) throw DecisionRejected.NotFound($"case '{caseId}' is not in this campaign");
    }

    private static void CheckValue(AnnotationCampaign campaign, string value)
    {
        if (!campaign.Classes.Contains(value))
            throw DecisionRejected.Invalid("value", $"'{value}' is not a label of this campaign; use one of {string.Join(", ", campaign.Classes)}");
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
