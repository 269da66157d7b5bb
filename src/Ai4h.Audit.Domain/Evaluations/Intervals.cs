using MathNet.Numerics.Distributions;

namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>Confidence intervals used by the metrics (each named in the result's method).</summary>
public static class Intervals
{
    /// <summary>The two-sided standard normal quantile for a confidence level (1.959964… for 0.95).</summary>
    public static double Z(double level) => Normal.InvCDF(0, 1, 1 - (1 - level) / 2);

    /// <summary>Wilson score interval for <paramref name="successes"/> out of <paramref name="trials"/> (Wilson 1927).</summary>
    public static (double Lower, double Upper) Wilson(int successes, int trials, double level)
    {
        if (trials <= 0) throw new ArgumentOutOfRangeException(nameof(trials));
        var z = Z(level);
        double n = trials, p = successes / n, z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The q-quantile of sorted values with linear interpolation between order statistics (Hyndman &amp; Fan type 7,
    /// the default of R and NumPy), used for percentile bootstrap intervals.
    /// </summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) throw new ArgumentException("no values", nameof(sorted));
        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
