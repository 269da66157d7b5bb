using System.Globalization;
using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Dossiers.Pdf;

namespace Ai4h.Audit.Api.Dossiers;

/// <summary>Lays a dossier out for people: the sections, tables and charts of the PDF, in the order a regulator reads them.</summary>
public static class DossierDocumentMapping
{
    public static DossierDocument ToDocument(Dossier d)
    {
        var m = d.Submission.Manifest;
        var decision = d.Audit?.CurrentDecision;
        var asOf = d.ReflectsTime ?? DateTimeOffset.UnixEpoch;
        var cover = new List<CoverLine>
        {
            new("Submission", d.SubmissionId.ToString()),
            new("Model", $"{m.ModelName} {m.ModelVersion}"),
            new("Developer", m.DeveloperOrganisation),
            new("Model SHA-256", d.Submission.ModelSha256),
            new("Decision", decision is null ? "none recorded" : $"{decision.Outcome} by {decision.PrintedName}"),
            new("Record up to", $"event {d.ReflectsSequence} ({Time(asOf)})"),
            new("Dossier format", d.Format),
        };

        var sections = new List<DossierSection>
        {
            new("Model", [Pairs(("Name", m.ModelName), ("Version", m.ModelVersion), ("Developer organisation", m.DeveloperOrganisation),
                ("Intended use", m.IntendedUse), ("SHA-256", d.Submission.ModelSha256), ("Input tensor", m.InputTensor), ("Output tensor", $"{m.OutputTensor} ({m.OutputKind})"),
                ("Previous version", d.Submission.PreviousSubmissionId?.ToString() ?? "none"))]),
            new("Benchmark and test data", BenchmarkBlocks(d)),
        };
        foreach (var e in d.Evaluations) sections.Add(new($"Evaluation {e.Id}", EvaluationBlocks(e)));
        if (d.Audit is { } audit) sections.Add(new("Checklist, findings and decisions", AuditBlocks(audit)));

        var signatures = d.Audit is not { } signed ? [] : signed.AllSignatures.Select(s => new SignatureLine(s.PrintedName, s.Meaning.ToString(), s.SignedAt ?? asOf,
            s.ItemId is null ? "the whole checklist" : $"item {s.ItemId}, answer revision {s.Revision}", s.Superseded))
            // A decision is signed too (re-authenticated, bound to its content): its manifestation belongs with the others.
            .Concat(signed.AllDecisions.Select(x => new SignatureLine(x.PrintedName, $"Decision: {x.Outcome}", x.DecidedAt ?? asOf,
                "the regulatory decision on the submission", x.SupersededByLater))).ToList();
        var events = d.Events.Select(e => new EventLine(e.Sequence, e.StreamId.ToString()[..8], e.Type, e.At, e.Actor ?? "", e.Reason)).ToList();
        return new DossierDocument($"Audit dossier: {m.ModelName} {m.ModelVersion}", $"Submission {d.SubmissionId}", d.ContentSha256, asOf,
            "Ai4h.Audit", cover, sections, signatures, events);
    }

    private static IReadOnlyList<DossierBlock> BenchmarkBlocks(Dossier d)
    {
        if (d.Benchmark is not { } b) return [new Paragraph("The benchmark version this submission names is not in the record at this point.")];
        var def = b.Definition;
        var blocks = new List<DossierBlock>
        {
            Pairs(("Benchmark", def.Name), ("Version", b.Version.ToString(CultureInfo.InvariantCulture)), ("Clinical task", def.ClinicalTask),
                ("Task type", def.TaskType.ToString()), ("Metrics", string.Join(", ", def.Metrics)),
                ("Intervals", $"{def.ConfidenceInterval.Method}, level {def.ConfidenceInterval.Level}"
                              + (def.ConfidenceInterval.Seed is { } seed ? $", {def.ConfidenceInterval.BootstrapReplicates} replicates, seed {seed}" : ""))),
            new Table(["Acceptance criterion"], d.AcceptanceCriteria.Select(c => (IReadOnlyList<string>)[c]).ToList()),
        };
        if (d.TestData is { } t)
            blocks.Add(Pairs(("Test data", $"data set {def.DatasetId} version {t.Version}"), ("File", t.FileName), ("Rows", t.RowCount.ToString(CultureInfo.InvariantCulture)),
                ("SHA-256", t.Sha256), ("Verification", t.Verification.ToString())));
        blocks.Add(d.ReferenceStandards.Count == 0
            ? new Paragraph("Reference standard: the labels came with the uploaded data; no annotation campaign in the record produced them.")
            : new Table(["Reference standard (campaign)", "Cases", "Readers", "Adjudicated", "Corrected", "Agreement"], d.ReferenceStandards.Select(r =>
                (IReadOnlyList<string>)[$"{r.Name} ({r.CampaignId}): version {r.AnnotatedVersion} annotated into version {r.ReferenceVersion}",
                    r.Cases.ToString(CultureInfo.InvariantCulture), $"{r.ReadersPerCase} per case of {r.Annotators}",
                    r.Adjudications.ToString(CultureInfo.InvariantCulture), r.CorrectedLabels.ToString(CultureInfo.InvariantCulture),
                    $"{r.Agreement.Statistic} {Number(r.Agreement.Kappa)}; observed {Number(r.Agreement.ObservedAgreement)}"]).ToList()));
        return blocks;
    }

    private static IReadOnlyList<DossierBlock> EvaluationBlocks(Evaluation e)
    {
        if (e.Status != EvaluationStatus.Completed || e.Results is not { } r || e.Provenance is not { } p)
            return [new Paragraph($"Status: {e.Status}." + (e.FailureReason is null ? "" : $" Reason: {e.FailureReason}"))];
        var blocks = new List<DossierBlock>
        {
            new Paragraph($"{r.Cases} cases. Every acceptance criterion met: {(r.Passed ? "yes" : "no")}."),
            new Table(["Metric", "Value", "Interval", "Method"], r.Metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (IReadOnlyList<string>)[kv.Key, Number(kv.Value.Value), Interval(kv.Value), kv.Value.Method]).ToList()),
            new Table(["Criterion", "Verdict", "Judged on"], r.Verdicts.Select(v => (IReadOnlyList<string>)[v.Criterion, v.Passed ? "met" : "NOT met",
                v.Judged is { } j ? Number(j) : string.Join("; ", v.Levels.Select(l => $"{l.Level} ({l.Cases} cases): {Number(l.Judged)}"))]).ToList()),
        };
        var subgroupRows = r.Subgroups.SelectMany(s => s.Levels.Select(l => (IReadOnlyList<string>)[s.Column, l.Level, l.Cases.ToString(CultureInfo.InvariantCulture),
            string.Join("; ", l.Metrics.Where(kv => kv.Value.Value is not null).OrderBy(kv => kv.Key, StringComparer.Ordinal).Take(4)
                .Select(kv => $"{kv.Key} {Number(kv.Value.Value)} {Interval(kv.Value)}"))])).ToList();
        if (subgroupRows.Count > 0) blocks.Add(new Table(["Subgroup", "Level", "Cases", "Metrics"], subgroupRows));
        if (r.Binary is { } binary)
        {
            if (binary.Roc.Count > 1) blocks.Add(new RocChart("ROC curve", binary.Roc.Select(x => (x.Fpr, x.Tpr)).ToList(), r.Metrics.GetValueOrDefault("auroc")?.Value));
            if (binary.Calibration is { } bins)
                blocks.Add(new CalibrationChart("Calibration (reliability bins)", bins.Where(x => x.Cases > 0)
                    .Select(x => (x.MeanPredicted ?? 0, x.ObservedPositive ?? 0, x.Cases)).ToList()));
        }
        blocks.Add(Pairs(("Model SHA-256", p.ModelSha256), ("Test data SHA-256", p.DatasetSha256), ("Predictions SHA-256", p.PredictionsSha256),
            ("Runner", p.RunnerVersion), ("ONNX Runtime", p.OnnxRuntimeVersion), ("Machine", p.Machine), ("Seed", p.Seed?.ToString(CultureInfo.InvariantCulture) ?? "none"),
            ("Started", Time(p.StartedAt)), ("Finished", Time(p.FinishedAt))));
        return blocks;
    }

    private static IReadOnlyList<DossierBlock> AuditBlocks(SubmissionAudit a)
    {
        var blocks = new List<DossierBlock>
        {
            Pairs(("Template", $"{a.TemplateKey} version {a.TemplateVersion}"), ("Template SHA-256", a.TemplateSha256), ("Signed off", a.Completed ? "yes" : "no")),
            new Table(["Item", "Answer", "Rev.", "Rationale", "Evidence", "Signed"], a.Answers.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (IReadOnlyList<string>)[kv.Key, kv.Value.Answer.ToString(), kv.Value.Revision.ToString(CultureInfo.InvariantCulture), kv.Value.Rationale,
                    kv.Value.Evidence.Count.ToString(CultureInfo.InvariantCulture), a.ItemSignature(kv.Key)?.PrintedName ?? "not signed"]).ToList()),
        };
        if (a.Findings.Count > 0)
            blocks.Add(new Table(["Item", "Severity", "Finding", "Developer's answer", "Resolution"], a.Findings.Select(f => (IReadOnlyList<string>)
                [f.ItemId, f.Severity.ToString(), f.Text, f.Response ?? "", f.Resolution ?? "open"]).ToList()));
        blocks.Add(a.AllDecisions.Count == 0
            ? new Paragraph("No regulatory decision recorded.")
            : new Table(["Decision", "By", "Decided", "Reasoning", "In force"], a.AllDecisions.Select(x => (IReadOnlyList<string>)
                [x.Outcome.ToString(), x.PrintedName, x.DecidedAt is { } at ? Time(at) : "", x.Reasoning, x.SupersededByLater ? "superseded" : "yes"]).ToList()));
        return blocks;
    }

    private static Table Pairs(params (string Field, string Value)[] pairs) =>
        new(["Field", "Value"], pairs.Select(p => (IReadOnlyList<string>)[p.Field, p.Value]).ToList());

    private static string Number(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "undefined";

    private static string Interval(MetricValue v) => v.CiLower is { } lo && v.CiUpper is { } hi
        ? $"[{lo.ToString("0.0000", CultureInfo.InvariantCulture)}, {hi.ToString("0.0000", CultureInfo.InvariantCulture)}]" : "";

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
