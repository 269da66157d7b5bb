using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Evaluations;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>
/// The binary metrics regulators read, against values computed independently (Reference/make_binary_metrics.py:
/// scikit-learn, statsmodels, a direct O(m·n) DeLong, NumPy). Tolerances: 1e-9 for point estimates, 1e-6 for intervals.
/// </summary>
public sealed class BinaryMetricsTests
{
    private const double Point = 1e-9, Interval = 1e-6;

    private static readonly JsonNode Fixture =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "binary_metrics.json")))!;

    public static TheoryData<int> Scenarios() => [0, 1];

    private static (double[] Scores, bool[] Labels, double Threshold, double Level, JsonNode Expected) Scenario(int i)
    {
        var s = Fixture["scenarios"]![i]!;
        return (s["scores"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray(),
            s["labels"]!.AsArray().Select(x => x!.GetValue<int>() == 1).ToArray(),
            s["threshold"]!.GetValue<double>(), s["level"]!.GetValue<double>(), s["expected"]!);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void every_metric_and_interval_matches_the_reference(int index)
    {
        var (scores, labels, threshold, level, expected) = Scenario(index);
        var results = BinaryMetrics.Compute(scores, labels, threshold, level).ToDictionary(r => r.Name);

        var cm = BinaryMetrics.Confusion(scores, labels, threshold);
        new[] { cm.TruePositives, cm.FalsePositives, cm.TrueNegatives, cm.FalseNegatives }
            .ShouldBe(expected["confusion"]!.AsArray().Select(x => x!.GetValue<int>()));

        foreach (var name in new[] { "auroc", "auprc", "sensitivity", "specificity", "ppv", "npv", "accuracy", "f1", "mcc", "kappa", "brier" })
            results[name].Value!.Value.ShouldBe(expected[name]!.GetValue<double>(), Point, name);

        foreach (var name in new[] { "auroc", "sensitivity", "specificity", "ppv", "npv", "accuracy" })
        {
            var ci = expected[$"{name}_ci"]!.AsArray();
            results[name].CiLower!.Value.ShouldBe(ci[0]!.GetValue<double>(), Interval, name);
            results[name].CiUpper!.Value.ShouldBe(ci[1]!.GetValue<double>(), Interval, name);
        }
        results["auroc"].Method.ShouldBe("delong");
        results["sensitivity"].Method.ShouldBe("wilson");
        DeLong.Compute(scores, labels)!.Variance.ShouldBe(expected["auroc_variance"]!.GetValue<double>(), 1e-12);
    }

    [Fact]
    public void quantiles_match_numpys_linear_percentiles()
    {
        var q = Fixture["quantiles"]!;
        var sorted = q["values"]!.AsArray().Select(x => x!.GetValue<double>()).Order().ToList();
        var probabilities = q["q"]!.AsArray().Select(x => x!.GetValue<double>()).ToList();
        var expected = q["expected"]!.AsArray().Select(x => x!.GetValue<double>()).ToList();
        for (var i = 0; i < probabilities.Count; i++) Intervals.Quantile(sorted, probabilities[i]).ShouldBe(expected[i], Point);
    }

    [Fact]
    public void one_class_only_leaves_auroc_and_sensitivity_undefined_with_the_reason()
    {
        var results = BinaryMetrics.Compute([0.1, 0.7, 0.4], [false, false, false], 0.5, 0.95).ToDictionary(r => r.Name);
        results["auroc"].Value.ShouldBeNull();
        results["auroc"].Note.ShouldBe("the cases are all of one class");
        results["sensitivity"].Value.ShouldBeNull();
        results["specificity"].Value!.Value.ShouldBe(2.0 / 3, Point);
        results["auprc"].Value.ShouldBeNull();
    }

    [Fact]
    public void all_predictions_equal_give_auroc_one_half_and_undefined_mcc()
    {
        var results = BinaryMetrics.Compute([0.3, 0.3, 0.3, 0.3], [true, false, true, false], 0.5, 0.95).ToDictionary(r => r.Name);
        results["auroc"].Value!.Value.ShouldBe(0.5, Point);
        results["mcc"].Value.ShouldBeNull();
        results["ppv"].Value.ShouldBeNull();
        results["ppv"].Note.ShouldBe("no case was predicted positive");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void a_non_finite_score_is_refused_naming_the_case(double bad)
    {
        Should.Throw<InvalidScoreException>(() => BinaryMetrics.Compute([0.2, bad], [true, false], 0.5, 0.95)).CaseIndex.ShouldBe(1);
    }

    [Fact]
    public void scores_outside_zero_one_have_no_brier_score()
    {
        BinaryMetrics.Compute([2.5, -1], [true, false], 0.5, 0.95).Single(r => r.Name == "brier").Value.ShouldBeNull();
    }

    [Fact]
    public void the_bootstrap_is_reproducible_from_its_seed_and_brackets_the_estimate()
    {
        var (scores, labels, threshold, level, _) = Scenario(0);
        double? Auc(int[] sample) => DeLong.Compute(sample.Select(i => scores[i]).ToArray(), sample.Select(i => labels[i]).ToArray())?.Auc;

        var first = Bootstrap.Percentile(scores.Length, Auc, 400, 42, level)!;
        var again = Bootstrap.Percentile(scores.Length, Auc, 400, 42, level)!;
        var other = Bootstrap.Percentile(scores.Length, Auc, 400, 43, level)!;

        again.ShouldBe(first);
        other.ShouldNotBe(first);
        var estimate = DeLong.Compute(scores, labels)!.Auc;
        first.Lower.ShouldBeLessThan(estimate);
        first.Upper.ShouldBeGreaterThan(estimate);
        // Percentile and DeLong intervals estimate the same thing; on 300 cases they agree to a few hundredths.
        var delong = BinaryMetrics.Compute(scores, labels, threshold, level).Single(r => r.Name == "auroc");
        first.Lower.ShouldBe(delong.CiLower!.Value, 0.03);
        first.Upper.ShouldBe(delong.CiUpper!.Value, 0.03);
    }

    [Fact]
    public void splitmix64_matches_its_published_first_outputs()
    {
        // Reference outputs for seed 0 from the SplitMix64 reference implementation (Vigna, prng.di.unimi.it/splitmix64.c).
        var rng = new Bootstrap.SplitMix64(0);
        rng.Next().ShouldBe(0xE220A8397B1DCDAFUL);
        rng.Next().ShouldBe(0x6E789E6AA1B965F4UL);
    }
}
