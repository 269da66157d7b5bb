using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Submissions;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>
/// The calculator's metrics, intervals and tables against values computed independently
/// (Reference/make_evaluation_metrics.py: scikit-learn, scipy.stats, statsmodels, NumPy, and a Python copy of the
/// SplitMix64 bootstrap). Tolerances: 1e-9 for point estimates, 1e-6 for intervals.
/// </summary>
public sealed class EvaluationMetricsTests
{
    private const double Point = 1e-9, Interval = 1e-6;

    private static readonly JsonNode Fixture =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "evaluation_metrics.json")))!;

    public static TheoryData<int> Scenarios() => [0, 1, 2, 3];

    private static JsonNode Scenario(int i) => Fixture["scenarios"]![i]!;

    /// <summary>The fixture's scenario as calculator input.</summary>
    public static EvaluationInput Input(JsonNode s)
    {
        var d = s["definition"]!;
        var ci = d["confidenceInterval"]!;
        var definition = new BenchmarkDefinition("reference", "reference scenario",
            Enum.Parse<TaskType>(d["taskType"]!.GetValue<string>()), Guid.Empty, 1, "", "case_id", "label", ["x"],
            Strings(d["subgroupColumns"]), d["positiveClass"]?.GetValue<string>(), d["decisionThreshold"]?.GetValue<double>(),
            Strings(d["metrics"]),
            new ConfidenceIntervalSpec(Enum.Parse<IntervalMethod>(ci["method"]!.GetValue<string>()), ci["level"]!.GetValue<double>(),
                ci["bootstrapReplicates"]?.GetValue<int>(), ci["seed"]?.GetValue<int>()),
            [], false);
        var subgroups = s["subgroups"]!.AsObject().ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)Strings(kv.Value));
        return new EvaluationInput(definition, Strings(s["caseIds"]), Strings(s["labels"]), subgroups,
            s["outputs"]!.AsArray().Select(x => (float)x!.GetValue<double>()).ToArray(), s["outputWidth"]!.GetValue<int>(),
            Enum.Parse<OutputKind>(s["outputKind"]!.GetValue<string>()), s["positiveClassIndex"]?.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void every_metric_and_interval_matches_the_reference_overall_and_in_every_subgroup(int index)
    {
        var s = Scenario(index);
        var results = EvaluationCalculator.Compute(Input(s));
        var expected = s["expected"]!;

        results.Cases.ShouldBe(s["labels"]!.AsArray().Count);
        ShouldMatch(results.Metrics, expected["metrics"]!, "overall");

        var expectedGroups = expected["subgroups"]!.AsArray();
        results.Subgroups.Count.ShouldBe(expectedGroups.Count);
        foreach (var (group, want) in results.Subgroups.Zip(expectedGroups))
        {
            group.Column.ShouldBe(want!["column"]!.GetValue<string>());
            group.Levels.Select(l => l.Level).ShouldBe(want["levels"]!.AsArray().Select(l => l!["level"]!.GetValue<string>()));
            foreach (var (level, wantLevel) in group.Levels.Zip(want["levels"]!.AsArray()))
            {
                var where = $"{group.Column}={level.Level}";
                level.Cases.ShouldBe(wantLevel!["cases"]!.GetValue<int>(), where);
                ShouldMatch(level.Metrics, wantLevel["metrics"]!, where);
                if (wantLevel["confusion"] is { } cm) Cells(level.Confusion!).ShouldBe(Ints(cm), where);
                if (wantLevel["multiclass_confusion"] is { } mcm) level.MulticlassConfusion!.SelectMany(r => r).ShouldBe(mcm.AsArray().SelectMany(r => Ints(r!)), where);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void binary_tables_match_the_reference_confusion_calibration_bins_and_roc_curve(int index)
    {
        var s = Scenario(index);
        var binary = EvaluationCalculator.Compute(Input(s)).Binary!;
        var expected = s["expected"]!["binary"]!;

        Cells(binary.Confusion).ShouldBe(Ints(expected["confusion"]!));

        var bins = expected["calibration"]!.AsArray();
        binary.Calibration!.Count.ShouldBe(10);
        foreach (var (bin, want) in binary.Calibration.Zip(bins))
        {
            bin.Lower.ShouldBe(want![0]!.GetValue<double>(), Point);
            bin.Upper.ShouldBe(want[1]!.GetValue<double>(), Point);
            bin.Cases.ShouldBe(want[2]!.GetValue<int>());
            Same(bin.MeanPredicted, want[3], Point, "mean predicted");
            Same(bin.ObservedPositive, want[4], Point, "observed");
        }

        // scikit-learn 1.2 gives the start point the threshold max + 1; ours is null (no case predicted positive).
        var roc = expected["roc"]!.AsArray();
        binary.Roc.Count.ShouldBe(roc.Count);
        binary.Roc[0].ShouldBe(new RocPoint(0, 0, null));
        foreach (var (point, want) in binary.Roc.Zip(roc).Skip(1))
        {
            point.Fpr.ShouldBe(want![0]!.GetValue<double>(), Point);
            point.Tpr.ShouldBe(want[1]!.GetValue<double>(), Point);
            point.Threshold!.Value.ShouldBe(want[2]!.GetValue<double>(), Point);
        }
    }

    [Fact]
    public void multiclass_tables_match_the_reference_confusion_and_per_class_sensitivity_and_specificity()
    {
        var s = Scenario(2);
        var multiclass = EvaluationCalculator.Compute(Input(s)).Multiclass!;
        var expected = s["expected"]!;

        multiclass.Classes.ShouldBe(4);
        multiclass.Confusion.SelectMany(r => r).ShouldBe(expected["multiclass_confusion"]!.AsArray().SelectMany(r => Ints(r!)));
        foreach (var (cls, want) in multiclass.PerClass.Zip(expected["per_class"]!.AsArray()))
        {
            cls.Sensitivity.Value!.Value.ShouldBe(want!["sensitivity"]!.GetValue<double>(), Point);
            cls.Specificity.Value!.Value.ShouldBe(want["specificity"]!.GetValue<double>(), Point);
            cls.Sensitivity.Method.ShouldBe("wilson");
        }
    }

    [Fact]
    public void the_catalogue_lists_exactly_the_metrics_each_task_reports()
    {
        EvaluationCalculator.Compute(Input(Scenario(0))).Metrics.Keys.ShouldBe(MetricCatalogue.Binary);
        EvaluationCalculator.Compute(Input(Scenario(2))).Metrics.Keys.ShouldBe(MetricCatalogue.Multiclass);
        EvaluationCalculator.Compute(Input(Scenario(3))).Metrics.Keys.ShouldBe(MetricCatalogue.Regression);
    }

    private static void ShouldMatch(IReadOnlyDictionary<string, MetricValue> actual, JsonNode expected, string where)
    {
        actual.Keys.Order().ShouldBe(expected.AsObject().Select(kv => kv.Key).Order(), where);
        foreach (var (name, want) in expected.AsObject())
        {
            var got = actual[name];
            var label = $"{where} {name}";
            Same(got.Value, want!["value"], Point, label);
            Same(got.CiLower, want["ci_lower"], Interval, label + " lower");
            Same(got.CiUpper, want["ci_upper"], Interval, label + " upper");
            got.ValidReplicates.ShouldBe(want["valid_replicates"]?.GetValue<int>(), label + " replicates");
        }
    }

    private static void Same(double? actual, JsonNode? expected, double tolerance, string label)
    {
        if (expected is null) actual.ShouldBeNull(label);
        else
        {
            actual.ShouldNotBeNull(label);
            actual.Value.ShouldBe(expected.GetValue<double>(), tolerance, label);
        }
    }

    private static int[] Cells(ConfusionMatrix cm) => [cm.TruePositives, cm.FalsePositives, cm.TrueNegatives, cm.FalseNegatives];

    private static int[] Ints(JsonNode node) => node.AsArray().Select(x => x!.GetValue<int>()).ToArray();

    private static string[] Strings(JsonNode? node) => node!.AsArray().Select(x => x!.GetValue<string>()).ToArray();
}
