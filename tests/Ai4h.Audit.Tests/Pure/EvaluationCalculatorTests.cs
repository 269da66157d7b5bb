using System.Text.Json;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Submissions;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>
/// The calculator on small tables that can be checked by hand: subgroups, verdicts, the bootstrap's reproducibility,
/// and the documented result of every edge case (docs/metrics.md).
/// </summary>
public sealed class EvaluationCalculatorTests
{
    private static readonly ConfidenceIntervalSpec Wilson = new(IntervalMethod.Wilson, 0.95, null, null);

    private static BenchmarkDefinition Definition(TaskType task, IReadOnlyList<string> metrics, ConfidenceIntervalSpec? ci = null,
        IReadOnlyList<AcceptanceCriterion>? criteria = null, IReadOnlyList<string>? subgroups = null) =>
        new("test", "test", task, Guid.Empty, 1, "", "case_id", "label", ["x"], subgroups ?? [],
            task == TaskType.BinaryClassification ? "1" : null, task == TaskType.BinaryClassification ? 0.5 : null,
            metrics, ci ?? Wilson, criteria ?? [], false);

    private static EvaluationInput Binary(float[] scores, int[] labels, BenchmarkDefinition? definition = null,
        string[]? sex = null, OutputKind kind = OutputKind.Probabilities) =>
        new(definition ?? Definition(TaskType.BinaryClassification, ["auroc"]),
            Ids(labels.Length), labels.Select(l => l.ToString()).ToList(),
            sex is null ? new Dictionary<string, IReadOnlyList<string>>() : new() { ["sex"] = sex },
            scores, 1, kind, null);

    private static List<string> Ids(int n) => Enumerable.Range(1, n).Select(i => $"case-{i}").ToList();

    // F: all right; M: one false negative and one false positive; X: one case; missing: two negatives.
    private static readonly float[] TableScores = [0.9f, 0.8f, 0.2f, 0.1f, 0.9f, 0.3f, 0.2f, 0.6f, 0.7f, 0.4f, 0.1f];
    private static readonly int[] TableLabels = [1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0];
    private static readonly string[] TableSex = ["F", "F", "F", "F", "M", "M", "M", "M", "X", "", "NA"];

    [Fact]
    public void subgroup_levels_come_in_ordinal_order_with_missing_last_and_carry_their_case_counts()
    {
        var results = EvaluationCalculator.Compute(Binary(TableScores, TableLabels,
            Definition(TaskType.BinaryClassification, ["sensitivity"], subgroups: ["sex"]), TableSex));

        var levels = results.Subgroups.Single().Levels;
        levels.Select(l => (l.Level, l.Cases)).ShouldBe([("F", 4), ("M", 4), ("X", 1), ("(missing)", 2)]);
        levels[1].Confusion.ShouldBe(new ConfusionMatrix(1, 1, 1, 1));
        levels[1].Metrics["sensitivity"].Value.ShouldBe(0.5);
        levels[3].Metrics["sensitivity"].Value.ShouldBeNull();
        levels[3].Metrics["sensitivity"].Note.ShouldBe("no positive cases");
        results.Metrics["accuracy"].Value!.Value.ShouldBe(9.0 / 11, 1e-12);
    }

    [Fact]
    public void verdicts_record_the_numbers_judged_and_fail_on_a_weak_subgroup_an_undefined_value_or_nothing_to_judge()
    {
        AcceptanceCriterion[] criteria =
        [
            new("sensitivity", CriterionBound.Estimate, CriterionComparison.AtLeast, 0.6, "sex", 2),
            new("accuracy", CriterionBound.Estimate, CriterionComparison.AtLeast, 0.5),
            new("specificity", CriterionBound.Estimate, CriterionComparison.AtLeast, 0.7, "sex", 5),
            new("brier", CriterionBound.UpperBound, CriterionComparison.AtMost, 0.3),
        ];
        var definition = Definition(TaskType.BinaryClassification, ["sensitivity", "specificity", "accuracy", "brier"],
            criteria: criteria, subgroups: ["sex"]);
        var verdicts = EvaluationCalculator.Compute(Binary(TableScores, TableLabels, definition, TableSex)).Verdicts;

        var bySex = verdicts[0];
        bySex.Criterion.ShouldBe("sensitivity ≥ 0.6 in every sex subgroup with ≥ 2 cases");
        bySex.Passed.ShouldBeFalse();
        bySex.Levels.Select(l => (l.Level, l.Cases, l.Judged, l.Passed)).ShouldBe(
            [("F", 4, 1.0, true), ("M", 4, 0.5, false), ("(missing)", 2, (double?)null, false)]);
        bySex.Levels[2].Reason.ShouldBe("sensitivity is undefined: no positive cases");
        bySex.Excluded.ShouldBe([new ExcludedLevel("X", 1)]);
        bySex.Reason.ShouldBe("fails in sex M, (missing)");

        verdicts[1].Passed.ShouldBeTrue();
        verdicts[1].Judged!.Value.ShouldBe(9.0 / 11, 1e-12);

        verdicts[2].Passed.ShouldBeFalse();
        verdicts[2].Reason.ShouldBe("no sex subgroup has at least 5 cases");
        verdicts[2].Excluded.Count.ShouldBe(4);

        verdicts[3].Passed.ShouldBeFalse();
        verdicts[3].Reason.ShouldBe("brier has no upper confidence bound");
    }

    [Fact]
    public void the_evaluation_passes_only_when_every_criterion_passes()
    {
        var pass = new AcceptanceCriterion("auroc", CriterionBound.Estimate, CriterionComparison.AtLeast, 0.5);
        var fail = pass with { Threshold = 0.99 };
        EvaluationCalculator.Compute(Binary(TableScores, TableLabels, Definition(TaskType.BinaryClassification, ["auroc"], criteria: [pass]))).Passed.ShouldBeTrue();
        EvaluationCalculator.Compute(Binary(TableScores, TableLabels, Definition(TaskType.BinaryClassification, ["auroc"], criteria: [pass, fail]))).Passed.ShouldBeFalse();
        EvaluationCalculator.Compute(Binary(TableScores, TableLabels)).Passed.ShouldBeTrue();
    }

    [Fact]
    public void the_bootstrap_gives_identical_results_for_the_same_seed_in_parallel_or_not_and_differs_for_another_seed()
    {
        var input = EvaluationMetricsTests.Input(Fixture(0));
        string Json(EvaluationResults r) => JsonSerializer.Serialize(r);

        var parallel = Json(EvaluationCalculator.Compute(input));
        Json(EvaluationCalculator.Compute(input)).ShouldBe(parallel);
        Json(EvaluationCalculator.Compute(input, parallel: false)).ShouldBe(parallel);
        var ci = input.Definition.ConfidenceInterval;
        var reseeded = input with { Definition = input.Definition with { ConfidenceInterval = ci with { Seed = ci.Seed + 1 } } };
        Json(EvaluationCalculator.Compute(reseeded)).ShouldNotBe(parallel);
    }

    [Fact]
    public void a_bootstrap_replicate_where_a_metric_is_undefined_is_skipped_and_counted()
    {
        var definition = Definition(TaskType.BinaryClassification, ["auroc", "accuracy"], new ConfidenceIntervalSpec(IntervalMethod.Bootstrap, 0.95, 500, 3));
        var metrics = EvaluationCalculator.Compute(Binary([0.9f, 0.2f, 0.3f, 0.4f, 0.1f, 0.6f], [1, 0, 0, 0, 0, 0], definition)).Metrics;

        metrics["auroc"].Method.ShouldBe("bootstrap_percentile");
        metrics["auroc"].ValidReplicates!.Value.ShouldBeInRange(200, 499); // resamples without the one positive case
        metrics["accuracy"].ValidReplicates.ShouldBe(500);
        metrics["sensitivity"].Method.ShouldBe("wilson"); // not asked for: keeps its analytic interval
    }

    [Fact]
    public void metric_values_serialise_with_their_fixed_json_names_under_any_naming_policy()
    {
        var results = EvaluationCalculator.Compute(Binary(TableScores, TableLabels));
        var json = JsonSerializer.Serialize(results, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.KebabCaseUpper });
        var auroc = JsonDocument.Parse(json).RootElement.GetProperty("METRICS").GetProperty("auroc");
        auroc.EnumerateObject().Select(p => p.Name).ShouldBe(["value", "ci_lower", "ci_upper", "method", "note", "valid_replicates"]);
        auroc.GetProperty("method").GetString().ShouldBe("delong");
    }

    [Fact]
    public void one_class_only_leaves_auroc_calibration_and_the_roc_curve_undefined_with_reasons()
    {
        var results = EvaluationCalculator.Compute(Binary([0.1f, 0.7f, 0.4f], [0, 0, 0]));
        results.Metrics["auroc"].Note.ShouldBe("the cases are all of one class");
        results.Metrics["calibration_slope"].Value.ShouldBeNull();
        results.Metrics["calibration_slope"].Note.ShouldBe("the cases are all of one class");
        results.Metrics["ece"].Value!.Value.ShouldBe((0.1 + 0.4 + 0.7) / 3, 1e-7);
        results.Binary!.Roc.ShouldBeEmpty();
    }

    [Fact]
    public void all_predictions_equal_give_auroc_one_half_and_no_calibration_slope()
    {
        var results = EvaluationCalculator.Compute(Binary([0.3f, 0.3f, 0.3f, 0.3f], [1, 0, 1, 0]));
        results.Metrics["auroc"].Value.ShouldBe(0.5);
        results.Metrics["calibration_intercept"].Note.ShouldBe("all predictions are equal");
        results.Binary!.Roc.Count.ShouldBe(2);
        results.Binary.Calibration![3].Cases.ShouldBe(4);
        results.Binary.Calibration[0].Cases.ShouldBe(0);
        results.Binary.Calibration[0].MeanPredicted.ShouldBeNull();
    }

    [Fact]
    public void predictions_that_separate_the_classes_have_no_calibration_slope()
    {
        var results = EvaluationCalculator.Compute(Binary([0.1f, 0.2f, 0.4f, 0.8f], [0, 0, 1, 1]));
        results.Metrics["calibration_slope"].Value.ShouldBeNull();
        results.Metrics["calibration_slope"].Note!.ShouldContain("separate the classes");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void a_non_finite_output_is_refused_naming_the_case(float bad)
    {
        var error = Should.Throw<InvalidScoreException>(() => EvaluationCalculator.Compute(Binary([0.2f, 0.5f, bad], [1, 0, 1])));
        error.CaseIndex.ShouldBe(2);
        error.CaseId.ShouldBe("case-3");
        error.Message.ShouldContain("case #3 (id case-3)");
    }

    [Fact]
    public void zero_cases_give_every_metric_undefined_and_fail_every_criterion()
    {
        var criterion = new AcceptanceCriterion("auroc", CriterionBound.Estimate, CriterionComparison.AtLeast, 0.5);
        var results = EvaluationCalculator.Compute(Binary([], [], Definition(TaskType.BinaryClassification, ["auroc"], criteria: [criterion])));
        results.Cases.ShouldBe(0);
        results.Metrics.Keys.ShouldBe(MetricCatalogue.Binary);
        results.Metrics.Values.ShouldAllBe(m => m.Value == null && m.Note == "no cases");
        results.Verdicts.Single().Reason.ShouldBe("auroc is undefined: no cases");
        results.Passed.ShouldBeFalse();
    }

    [Fact]
    public void raw_scores_outside_zero_one_have_no_brier_score_ece_or_calibration()
    {
        var results = EvaluationCalculator.Compute(Binary([2.5f, -1f, 0.7f], [1, 0, 0], kind: OutputKind.ClassScores));
        foreach (var name in new[] { "brier", "ece", "calibration_slope", "calibration_intercept" })
            results.Metrics[name].Note.ShouldBe(BinaryMetrics.NotProbabilities);
        results.Binary!.Calibration.ShouldBeNull();
        results.Metrics["auroc"].Value.ShouldBe(1.0);
    }

    [Fact]
    public void binary_outputs_are_read_by_kind_and_width()
    {
        var definition = Definition(TaskType.BinaryClassification, ["auroc"]);
        EvaluationInput Input(float[] outputs, int width, OutputKind kind, int? index) =>
            new(definition, Ids(2), ["1", "0"], new Dictionary<string, IReadOnlyList<string>>(), outputs, width, kind, index);

        // A logit of 0 is probability 0.5, predicted positive at threshold 0.5.
        EvaluationCalculator.Compute(Input([0f, -3f], 1, OutputKind.Logits, null)).Binary!.Confusion.ShouldBe(new ConfusionMatrix(1, 0, 1, 0));
        // Two logit columns: softmax, then the positive column (index 0 here).
        var softmax = EvaluationCalculator.Compute(Input([2f, 0f, 0f, 2f], 2, OutputKind.Logits, 0));
        softmax.Metrics["brier"].Value!.Value.ShouldBe(Math.Pow(1 - 1 / (1 + Math.Exp(-2)), 2), 1e-12);
        Should.Throw<ArgumentException>(() => EvaluationCalculator.Compute(Input([0.2f, 0.8f, 0.6f, 0.4f], 2, OutputKind.Probabilities, null)));
    }

    [Fact]
    public void multiclass_class_scores_have_no_log_loss_or_brier_but_a_macro_auroc()
    {
        var definition = Definition(TaskType.MulticlassClassification, ["macro_f1"]);
        var input = new EvaluationInput(definition, Ids(3), ["0", "1", "2"], new Dictionary<string, IReadOnlyList<string>>(),
            [5f, 1f, 1f, 0f, 7f, 7f, 0f, 1f, 3f], 3, OutputKind.ClassScores, null);
        var results = EvaluationCalculator.Compute(input);

        results.Metrics["log_loss"].Note.ShouldBe(MulticlassMetrics.NotProbabilities);
        results.Metrics["brier"].Value.ShouldBeNull();
        // One-vs-rest AUROC on the raw scores: 1 for classes 0 and 1; class 2's 3 beats 1 but not 7.
        results.Metrics["macro_auroc"].Value!.Value.ShouldBe(2.5 / 3, 1e-12);
        // The tie between classes 1 and 2 in the second case goes to the lower index.
        results.Multiclass!.Confusion.ShouldBe([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    }

    [Fact]
    public void multiclass_macro_auroc_is_undefined_when_a_class_has_no_cases()
    {
        var definition = Definition(TaskType.MulticlassClassification, ["macro_auroc"]);
        var input = new EvaluationInput(definition, Ids(2), ["0", "1"], new Dictionary<string, IReadOnlyList<string>>(),
            [0.7f, 0.2f, 0.1f, 0.2f, 0.5f, 0.3f], 3, OutputKind.Probabilities, null);
        var results = EvaluationCalculator.Compute(input);
        results.Metrics["macro_auroc"].Value.ShouldBeNull();
        results.Metrics["macro_auroc"].Note!.ShouldStartWith("class 2 has no cases");
        results.Metrics["log_loss"].Value.ShouldNotBeNull();
        results.Multiclass!.PerClass[2].Sensitivity.Note.ShouldBe("no cases of class 2");
    }

    [Fact]
    public void constant_regression_predictions_have_no_correlation_and_constant_labels_no_r2()
    {
        var definition = Definition(TaskType.Regression, ["mae"]);
        EvaluationResults Run(string[] labels, float[] predicted) => EvaluationCalculator.Compute(
            new EvaluationInput(definition, Ids(labels.Length), labels, new Dictionary<string, IReadOnlyList<string>>(), predicted, 1, OutputKind.RegressionValue, null));

        var constantPredictions = Run(["1", "2.5", "4"], [2f, 2f, 2f]).Metrics;
        constantPredictions["pearson"].Note.ShouldBe("the predictions are all equal");
        constantPredictions["spearman"].Value.ShouldBeNull();
        constantPredictions["mae"].Value!.Value.ShouldBe(2.5 / 3 + 0.5 / 3 * 2, 1e-12);
        constantPredictions["r2"].Value.ShouldNotBeNull();

        var constantLabels = Run(["3", "3", "3"], [1f, 2f, 3f]).Metrics;
        constantLabels["r2"].Note.ShouldBe("the reference values are all equal (no variance to explain)");
        constantLabels["pearson"].Note.ShouldBe("the reference values are all equal");
    }

    [Fact]
    public void auroc_may_have_the_analytic_interval_but_other_non_proportions_need_the_bootstrap()
    {
        MetricCatalogue.Analytic.ShouldContain("auroc");
        MetricCatalogue.Analytic.ShouldNotContain("brier");
        var results = EvaluationCalculator.Compute(Binary(TableScores, TableLabels, Definition(TaskType.BinaryClassification, ["auroc", "sensitivity"])));
        results.Metrics["auroc"].Method.ShouldBe("delong");
        results.Metrics["sensitivity"].Method.ShouldBe("wilson");
        results.Metrics["f1"].Method.ShouldBe("point");
    }

    private static System.Text.Json.Nodes.JsonNode Fixture(int i) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "evaluation_metrics.json")))!["scenarios"]![i]!;
}
