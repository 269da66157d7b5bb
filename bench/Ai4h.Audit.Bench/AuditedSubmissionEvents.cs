using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Marten;

namespace Ai4h.Audit.Bench;

/// <summary>
/// A realistic audited submission written as the domain's own events, each stream by the actor who would have written
/// it: a test data set with a version, a benchmark on it, a submitted model, an evaluation (requested, started, progress,
/// completed with results computed by <see cref="EvaluationCalculator"/>), and an audit on a 39-item checklist with every
/// answer and item signature, the lead's sign-off and a regulator's decision.
/// </summary>
public static class AuditedSubmissionEvents
{
    public const int ChecklistItems = 39;

    public static async Task<(Guid SubmissionId, Guid[] Streams)> AppendAsync(IDocumentStore store)
    {
        var (datasetId, benchmarkId, submissionId, evaluationId, auditId) =
            (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var (steward, developer, lead, regulator) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        Guid[] auditors = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        var datasetSha = Sha256.Hex("bench hold-out"u8.ToArray());
        var modelSha = Sha256.Hex("bench model"u8.ToArray());
        const int cases = 284;

        async Task Write(string actor, Action<IDocumentSession> append)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = actor;
            session.CorrelationId = Guid.NewGuid().ToString("N");
            session.SetHeader(RecordHeaders.ActorRoles, "bench");
            append(session);
            await session.SaveChangesAsync();
        }

        string[] features = ["mean_radius", "mean_texture", "mean_perimeter", "mean_area", "mean_smoothness", "mean_compactness", "mean_concavity",
            "mean_concave_points", "mean_symmetry", "mean_fractal_dimension"];
        await Write("steward", s => s.Events.StartStream<Dataset>(datasetId,
            new DatasetRegistered(datasetId, "WDBC hold-out", "Wisconsin Diagnostic Breast Cancer, hold-out cases", "UCI", "benchmarking", "CC BY 4.0", "tabular", "classification"),
            new DatasetVersionUploaded(datasetId, 1, datasetSha, 48_213, "wdbc-holdout.csv", "text/csv", cases,
                [new ColumnProfile("case_id", ColumnType.Text, 0, cases, false), new ColumnProfile("diagnosis", ColumnType.Integer, 0, 2, false),
                 new ColumnProfile("size_group", ColumnType.Text, 0, 3, false), .. features.Select(f => new ColumnProfile(f, ColumnType.Number, 0, cases, false))],
                "the sequestered hold-out"),
            new DatasetVersionVerified(datasetId, 1, datasetSha, cases, "system:runner 1.0")));

        var definition = new BenchmarkDefinition("Malignancy from FNA features", "Classify a breast mass as malignant or benign", TaskType.BinaryClassification,
            datasetId, 1, datasetSha, "case_id", "diagnosis", features, ["size_group"], "1", 0.5,
            ["auroc", "auprc", "sensitivity", "specificity", "ppv", "npv", "accuracy", "f1", "mcc", "brier", "ece"],
            new ConfidenceIntervalSpec(IntervalMethod.Bootstrap, 0.95, 200, 42),
            [new AcceptanceCriterion("auroc", CriterionBound.LowerBound, CriterionComparison.AtLeast, 0.85),
             new AcceptanceCriterion("sensitivity", CriterionBound.Estimate, CriterionComparison.AtLeast, 0.8, "size_group", 30)], false);
        await Write("steward", s => s.Events.StartStream<Benchmark>(benchmarkId, new BenchmarkDefined(benchmarkId, 1, definition, "issue 9 bench")));

        var manifest = new ModelManifest("wdbc-logreg", "1.0", "Bench Labs", "research", benchmarkId, "features", features, "probabilities", OutputKind.Probabilities, 1);
        await Write("developer", s => s.Events.StartStream<Submission>(submissionId, new ModelSubmitted(submissionId, manifest, 1, modelSha, 1_431, "model.onnx",
            new ModelSignature("features", "float", [-1, features.Length], "probabilities", "float", [-1, 2], [1, 2], "1.31.1"), developer, null, "first version")));

        var (scores, positive) = Metrics.Synthetic(cases, seed: 8);
        var results = EvaluationCalculator.Compute(new EvaluationInput(definition, Enumerable.Range(0, cases).Select(i => $"c{i}").ToArray(),
            positive.Select(p => p ? "1" : "0").ToArray(),
            new Dictionary<string, IReadOnlyList<string>> { ["size_group"] = Enumerable.Range(0, cases).Select(i => (i % 3) switch { 0 => "small", 1 => "medium", _ => "large" }).ToArray() },
            scores.Select(x => (float)x).ToArray(), 1, OutputKind.Probabilities, null));
        var started = DateTimeOffset.UtcNow;
        await Write("developer", s => s.Events.StartStream<Evaluation>(evaluationId,
            new EvaluationRequested(evaluationId, submissionId, modelSha, benchmarkId, 1, datasetId, 1, datasetSha, developer, "first evaluation")));
        await Write("system:runner", s => s.Events.Append(evaluationId,
            [new EvaluationStarted(evaluationId, 1, "runner-1", "1.0", "1.31.1", "bench", cases, 1024, null),
             .. Enumerable.Range(1, 4).Select(i => new EvaluationProgressed(evaluationId, 1, cases * i / 4, cases, i < 4 ? "scoring" : "metrics")),
             new EvaluationCompleted(evaluationId, 1, new EvaluationProvenance(modelSha, benchmarkId, 1, datasetId, 1, datasetSha, "1.0", "1.31.1", "bench", 42, 1024,
                 started, started.AddSeconds(3), Sha256.Hex("predictions"u8.ToArray()), cases), results, results.Passed)]));

        EvidenceLink[] evidence = [new(EvidenceKind.Evaluation, evaluationId), new(EvidenceKind.DatasetVersion, datasetId, 1)];
        var items = Enumerable.Range(0, ChecklistItems).Select(i => $"{(char)('A' + i / 5)}{i % 5 + 1}").ToArray();
        var disciplines = Enum.GetValues<Discipline>();
        await Write("lead", s => s.Events.StartStream<SubmissionAudit>(auditId,
            [new AuditOpened(auditId, submissionId, Guid.NewGuid(), "fg-ai4h-default", 1, Sha256.Hex("template"u8.ToArray()), lead, "notified body audit"),
             .. disciplines.Select((d, i) => new AuditorAssigned(auditId, d, auditors[i % auditors.Length], null))]));
        for (var a = 0; a < auditors.Length; a++)
        {
            var mine = items.Where((_, i) => i % auditors.Length == a).ToArray();
            var auditor = auditors[a];
            await Write($"auditor{a}", s => s.Events.Append(auditId, mine.Select(item => (object)new ItemAnswered(auditId, item, 1, ItemAnswer.Met,
                $"Checked {item} against the linked evaluation and the test data version; the evidence supports the claim as written in the manifest.",
                evidence, auditor, null)).ToArray()));
            await Write($"auditor{a}", s => s.Events.Append(auditId, mine.Select(item => (object)new ItemSigned(auditId, item, 1, auditor, $"Auditor {a}",
                SignatureMeaning.Reviewed, Sha256.Hex(System.Text.Encoding.UTF8.GetBytes(item)))).ToArray()));
        }
        await Write("lead", s => s.Events.Append(auditId, new ChecklistSigned(auditId, lead, "Audit Lead", SignatureMeaning.Approved, Sha256.Hex("all"u8.ToArray()), auditors)));
        await Write("regulator", s => s.Events.Append(auditId, new DecisionRecorded(auditId, Guid.NewGuid(), submissionId, DecisionOutcome.ApprovedWithConditions,
            "The evaluation and the audit support approval, with post-market monitoring of sensitivity in small masses.", evidence, regulator, "Regulator",
            Sha256.Hex("decision"u8.ToArray()), null)));

        return (submissionId, [datasetId, benchmarkId, submissionId, evaluationId, auditId]);
    }
}
