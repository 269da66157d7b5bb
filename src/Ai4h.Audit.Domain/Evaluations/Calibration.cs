namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>One reliability bin: the cases whose predicted probability falls in [Lower, Upper) ([0.9, 1] for the last).</summary>
public sealed record ReliabilityBin(double Lower, double Upper, int Cases, double? MeanPredicted, double? ObservedPositive);

/// <summary>The fitted logistic recalibration logit P(y = 1) = Intercept + Slope · logit(p), or why there is none.</summary>
public sealed record Recalibration(double? Intercept, double? Slope, string? Note);

/// <summary>
/// How well predicted probabilities match observed frequencies: reliability bins, expected calibration error and
/// logistic recalibration (Cox 1958). All need probabilities; callers check the scores lie in [0, 1].
/// </summary>
public static class Calibration
{
    public const int Bins = 10;

    /// <summary>Probabilities are clipped this far from 0 and 1 before the logit, as scikit-learn's log_loss clips.</summary>
    public const double Clip = 1e-15;

    /// <summary>Ten equal-width bins on [0, 1]; a probability p goes to bin min(⌊10p⌋, 9), so 1 joins the last bin.</summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> positive)
    {
        var count = new int[Bins];
        var sumPredicted = new double[Bins];
        var positives = new int[Bins];
        for (var i = 0; i < probabilities.Length; i++)
        {
            var b = BinOf(probabilities[i]);
            count[b]++;
            sumPredicted[b] += probabilities[i];
            if (positive[i]) positives[b]++;
        }
        var bins = new ReliabilityBin[Bins];
        for (var b = 0; b < Bins; b++)
            bins[b] = count[b] == 0
                ? new ReliabilityBin(b / (double)Bins, (b + 1) / (double)Bins, 0, null, null)
                : new ReliabilityBin(b / (double)Bins, (b + 1) / (double)Bins, count[b], sumPredicted[b] / count[b], positives[b] / (double)count[b]);
        return bins;
    }

    /// <summary>Expected calibration error Σ_b (n_b / N) |observed_b − mean predicted_b| over the reliability bins; null with no cases.</summary>
    public static double? ExpectedCalibrationError(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> positive)
    {
        if (probabilities.Length == 0) return null;
        double ece = 0;
        foreach (var bin in Reliability(probabilities, positive))
            if (bin.Cases > 0) ece += bin.Cases / (double)probabilities.Length * Math.Abs(bin.ObservedPositive!.Value - bin.MeanPredicted!.Value);
        return ece;
    }

    /// <summary>
    /// Maximum-likelihood fit of logit P(y = 1) = a + b · logit(p) by Newton–Raphson (the same as IRLS for the
    /// logistic model), from a = b = 0 like statsmodels. Undefined when the fit has no unique finite solution:
    /// one class only, all predictions equal, predictions that separate the classes (possibly touching at one value),
    /// or no convergence within 100 steps.
    /// </summary>
    public static Recalibration Recalibrate(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> positive)
    {
        var n = probabilities.Length;
        var positives = 0;
        foreach (var p in positive) if (p) positives++;
        if (positives == 0 || positives == n) return new Recalibration(null, null, "the cases are all of one class");

        var x = new double[n];
        for (var i = 0; i < n; i++)
        {
            var p = Math.Clamp(probabilities[i], Clip, 1 - Clip);
            x[i] = Math.Log(p / (1 - p));
        }
        var varies = false;
        for (var i = 1; i < n && !varies; i++) varies = x[i] != x[0];
        if (!varies) return new Recalibration(null, null, "all predictions are equal");
        if (Separated(x, positive))
            return new Recalibration(null, null, "the predictions separate the classes, so the maximum-likelihood slope is infinite");

        double a = 0, b = 0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
            for (var i = 0; i < n; i++)
            {
                var mu = Sigmoid(a + b * x[i]);
                var w = mu * (1 - mu);
                var r = (positive[i] ? 1 : 0) - mu;
                g0 += r; g1 += r * x[i];
                h00 += w; h01 += w * x[i]; h11 += w * x[i] * x[i];
            }
            var det = h00 * h11 - h01 * h01;
            if (!(det > 0) || !double.IsFinite(det)) break;
            var da = (h11 * g0 - h01 * g1) / det;
            var db = (h00 * g1 - h01 * g0) / det;
            a += da; b += db;
            if (Math.Max(Math.Abs(da), Math.Abs(db)) < 1e-10) return new Recalibration(a, b, null);
        }
        return new Recalibration(null, null, "the logistic recalibration did not converge");
    }

    /// <summary>
    /// (Quasi-)complete separation: some cut-off has every positive on one side and every negative on the other
    /// (ties allowed at the cut-off). Then the likelihood has no finite maximum, and Newton's method would stop at
    /// whatever huge slope underflow allows, so the slope is reported undefined instead.
    /// </summary>
    private static bool Separated(double[] x, ReadOnlySpan<bool> positive)
    {
        double minPos = double.PositiveInfinity, maxPos = double.NegativeInfinity, minNeg = double.PositiveInfinity, maxNeg = double.NegativeInfinity;
        for (var i = 0; i < x.Length; i++)
        {
            if (positive[i]) { minPos = Math.Min(minPos, x[i]); maxPos = Math.Max(maxPos, x[i]); }
            else { minNeg = Math.Min(minNeg, x[i]); maxNeg = Math.Max(maxNeg, x[i]); }
        }
        return maxNeg <= minPos || maxPos <= minNeg;
    }

    /// <summary>The logistic function, computed without overflow for large |z|.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0) return 1 / (1 + Math.Exp(-z));
        var e = Math.Exp(z);
        return e / (1 + e);
    }

    private static int BinOf(double p) => Math.Min((int)Math.Floor(p * Bins), Bins - 1);
}
