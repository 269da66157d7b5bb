namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>
/// Regression metrics from predicted and reference values. Definitions follow scikit-learn (MAE, RMSE, R²) and
/// scipy.stats (Pearson, Spearman); where a denominator is zero the metric is undefined rather than forced to a number.
/// </summary>
public static class RegressionMetrics
{
    public static readonly IReadOnlyList<string> Names = ["mae", "rmse", "r2", "pearson", "spearman"];

    /// <summary>Every regression metric as a point estimate (a benchmark that wants intervals asks for the bootstrap).</summary>
    public static IReadOnlyList<MetricResult> Compute(double[] predicted, double[] actual) =>
        Names.Select(name => Value(name, predicted, actual) is { } v
            ? new MetricResult(name, v, null, null, "point")
            : MetricResult.Undefined(name, WhyUndefined(name, predicted, actual))).ToList();

    /// <summary>The point estimate of one metric by name (used by the bootstrap); null when undefined.</summary>
    public static double? Value(string metric, double[] predicted, double[] actual)
    {
        var n = actual.Length;
        if (n == 0) return null;
        return metric switch
        {
            "mae" => Enumerable.Range(0, n).Sum(i => Math.Abs(predicted[i] - actual[i])) / n,
            "rmse" => Math.Sqrt(Enumerable.Range(0, n).Sum(i => (predicted[i] - actual[i]) * (predicted[i] - actual[i])) / n),
            "r2" => R2(predicted, actual),
            "pearson" => Pearson(predicted, actual),
            "spearman" => Pearson(DeLong.MidRanks(predicted), DeLong.MidRanks(actual)),
            _ => throw new ArgumentException($"unknown regression metric '{metric}'", nameof(metric)),
        };
    }

    /// <summary>1 − SS_res / SS_tot; undefined when the reference values are all equal (scikit-learn would force 0 or 1).</summary>
    private static double? R2(double[] predicted, double[] actual)
    {
        var mean = actual.Average();
        double residual = 0, total = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        return total == 0 ? null : 1 - residual / total;
    }

    /// <summary>Sample correlation coefficient; undefined when either variable is constant.</summary>
    private static double? Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        if (sxx == 0 || syy == 0) return null;
        // Rounding can push |r| a hair past 1 for perfectly linear data; scipy clips too.
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    private static string WhyUndefined(string metric, double[] predicted, double[] actual)
    {
        if (actual.Length == 0) return "no cases";
        var actualConstant = actual.All(v => v == actual[0]);
        return metric switch
        {
            "r2" => "the reference values are all equal (no variance to explain)",
            _ when actualConstant => "the reference values are all equal",
            _ => "the predictions are all equal",
        };
    }
}
