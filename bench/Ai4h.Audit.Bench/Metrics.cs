using Ai4h.Audit.Domain.Evaluations;

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
        var (scores, positive) = Synthetic(cases, seed: 2);
        Bootstrap.Interval? interval = null;
        // A short run compiles and tiers up the code paths before the timed runs.
        PercentileAuroc(scores, positive, replicates: 20);
        var timings = Timings.Of(() => interval = PercentileAuroc(scores, positive, replicates), warmups: 0, repetitions);
        Console.WriteLine($"  bootstrap 95 % interval {interval!.Lower:F4}–{interval.Upper:F4} ({interval.ValidReplicates} valid replicates)");
        // Where the time goes: each replicate computes a full DeLong (sorts and variance) on its resample.
        var one = Timings.Of(() => DeLong.Compute(scores, positive), warmups: 2, repetitions: 5).Median;
        Console.WriteLine($"  one DeLong.Compute on {cases:N0} cases: {Timings.Ms(one)}; × {replicates:N0} replicates ÷ " +
                          $"{Environment.ProcessorCount} cores = {Timings.Ms(one * replicates / Environment.ProcessorCount)} from AUROC alone");

        const double goal = 10.0;
        return new Figure(
            $"Percentile bootstrap of AUROC, {replicates:N0} replicates, {cases:N0} cases",
            "< 10 s",
            timings.Describe(),
            $"{timings.Median / goal:F2} × goal",
            cases == BootstrapGoalCases && replicates == BootstrapGoalReplicates ? timings.Median < goal : null);
    }

    /// <summary>
    /// The bootstrap as an evaluation runs it: the current Bootstrap.Percentile API, resampled case indices in, the
    /// AUROC of the resample out. Kept in one place so that it follows the API when Bootstrap is generalised.
    /// </summary>
    private static Bootstrap.Interval? PercentileAuroc(double[] scores, bool[] positive, int replicates) =>
        Bootstrap.Percentile(scores.Length, sample =>
        {
            var s = new double[sample.Length];
            var p = new bool[sample.Length];
            for (var i = 0; i < sample.Length; i++)
            {
                s[i] = scores[sample[i]];
                p[i] = positive[sample[i]];
            }
            return BinaryMetrics.Value("auroc", s, p, threshold: 0.5);
        }, replicates, seed: 42, Level);

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
