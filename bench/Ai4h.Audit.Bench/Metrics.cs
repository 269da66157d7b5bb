using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Submissions;

namespace Ai4h.Audit.Bench;

/// <summary>The metric figures: AUROC with its DeLong interval, and the percentile bootstrap of AUROC.</summary>
public static class Metrics
{
    public const int DeLongGoalCases = 1_000_000;
    public const int BootstrapGoalCases = 100_000;
    public const int BootstrapGoalReplicates = 2000;
    private const double Level = 0.95;

    public static Figure DeLongInterval(int cases, int repetitions)
    {
        var (scores, positive) = Synthetic(cases, seed: 1);
        (double Auc, double Lower, double Upper) result = default;
        var timings = Timings.Of(() =>
        {
            var r = DeLong.Compute(scores, positive)!;
            var half = Intervals.Z(Level) * Math.Sqrt(r.Variance);
            result = (r.Auc, r.Auc - half, r.Auc + half);
        }, warmups: 2, repetitions);
        Console.WriteLine($"  AUROC {result.Auc:F4}, 95 % DeLong interval {result.Lower:F4}–{result.Upper:F4}");

        const double goal = 0.150;
        return new Figure(
            $"AUROC + DeLong interval, {cases:N0} cases",
            "< 150 ms",
            timings.Describe(),
            $"{timings.Median / goal:F2} × goal",
            cases == DeLongGoalCases ? timings.Median < goal : null);
    }

    public static Figure BootstrapAuroc(int cases, int replicates, int repetitions)
    {
        var input = Evaluation(Synthetic(cases, seed: 2), replicates);
        MetricValue? auroc = null;
        // A short run compiles and tiers up the code paths before the timed runs.
        EvaluationCalculator.Compute(Evaluation(Synthetic(2000, seed: 3), 20));
        var timings = Timings.Of(() => auroc = EvaluationCalculator.Compute(input).Metrics["auroc"], warmups: 0, repetitions);
        Console.WriteLine($"  AUROC {auroc!.Value:F4}, bootstrap 95 % interval {auroc.CiLower:F4}–{auroc.CiUpper:F4} " +
                          $"({auroc.ValidReplicates} valid replicates); the whole evaluation as the Runner computes it");

        const double goal = 10.0;
        return new Figure(
            $"Evaluation with a percentile bootstrap of AUROC, {replicates:N0} replicates, {cases:N0} cases",
            "< 10 s",
            timings.Describe(),
            $"{timings.Median / goal:F2} × goal",
            cases == BootstrapGoalCases && replicates == BootstrapGoalReplicates ? timings.Median < goal : null);
    }

    /// <summary>
    /// The bootstrap as an evaluation runs it: the whole calculator (every binary metric once, AUROC resampled), on a
    /// benchmark that asks for a bootstrap interval of AUROC.
    /// </summary>
    private static EvaluationInput Evaluation((double[] Scores, bool[] Positive) data, int replicates)
    {
        var definition = new BenchmarkDefinition("bench", "bench", TaskType.BinaryClassification, Guid.Empty, 1, "", "id", "label",
            ["x"], [], "1", 0.5, ["auroc"], new ConfidenceIntervalSpec(IntervalMethod.Bootstrap, Level, replicates, 42), [], false);
        var n = data.Scores.Length;
        return new EvaluationInput(definition, Enumerable.Range(0, n).Select(i => i.ToString()).ToArray(),
            data.Positive.Select(p => p ? "1" : "0").ToArray(), new Dictionary<string, IReadOnlyList<string>>(),
            data.Scores.Select(x => (float)x).ToArray(), 1, OutputKind.Probabilities, null);
    }

    /// <summary>
    /// Seeded synthetic cases: about 30 % positives; scores are probabilities from a normal latent variable shifted
    /// by one for positives (AUROC near 0.76), rounded to three decimals so that ties occur as they do in real outputs.
    /// </summary>
    public static (double[] Scores, bool[] Positive) Synthetic(int cases, int seed)
    {
        var rng = new Bootstrap.SplitMix64((ulong)seed);
        var scores = new double[cases];
        var positive = new bool[cases];
        for (var i = 0; i < cases; i++)
        {
            positive[i] = Uniform(ref rng) < 0.3;
            // Box–Muller: one standard normal from two uniforms.
            var z = Math.Sqrt(-2 * Math.Log(1 - Uniform(ref rng))) * Math.Cos(2 * Math.PI * Uniform(ref rng));
            scores[i] = Math.Round(1 / (1 + Math.Exp(-(z + (positive[i] ? 1 : 0)))), 3);
        }
        return (scores, positive);
    }

    private static double Uniform(ref Bootstrap.SplitMix64 rng) => (rng.Next() >> 11) * (1.0 / (1UL << 53));
}
