namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>
/// Binary classification metrics from per-case scores (the model's probability or score for the positive class)
/// and the reference labels. A case is predicted positive when its score is at least the decision threshold.
/// Definitions follow scikit-learn where it has one; undefined values (a zero denominator) are reported as such.
/// </summary>
public static class BinaryMetrics
{
    public static ConfusionMatrix Confusion(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive, double threshold)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var predicted = scores[i] >= threshold;
            if (positive[i]) { if (predicted) tp++; else fn++; }
            else if (predicted) fp++;
            else tn++;
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /// <summary>
    /// Every binary metric with its analytic interval where one is standard: DeLong for AUROC, Wilson for the
    /// proportions. Others carry no interval here (a benchmark that wants one asks for the bootstrap).
    /// </summary>
    public static IReadOnlyList<MetricResult> Compute(double[] scores, bool[] positive, double threshold, double level)
    {
        CheckInputs(scores, positive);
        var cm = Confusion(scores, positive, threshold);
        var results = new List<MetricResult>();

        var delong = DeLong.Compute(scores, positive);
        if (delong is null) results.Add(MetricResult.Undefined("auroc", "the cases are all of one class"));
        else
        {
            var half = Intervals.Z(level) * Math.Sqrt(delong.Variance);
            results.Add(new MetricResult("auroc", delong.Auc, Math.Max(0, delong.Auc - half), Math.Min(1, delong.Auc + half), "delong"));
        }

        results.Add(Point("auprc", AveragePrecision(scores, positive), "no positive cases"));
        results.Add(Proportion("sensitivity", cm.TruePositives, cm.Positives, level, "no positive cases"));
        results.Add(Proportion("specificity", cm.TrueNegatives, cm.Negatives, level, "no negative cases"));
        results.Add(Proportion("ppv", cm.TruePositives, cm.TruePositives + cm.FalsePositives, level, "no case was predicted positive"));
        results.Add(Proportion("npv", cm.TrueNegatives, cm.TrueNegatives + cm.FalseNegatives, level, "no case was predicted negative"));
        results.Add(Proportion("accuracy", cm.TruePositives + cm.TrueNegatives, cm.Total, level, "no cases"));
        results.Add(Point("f1", F1(cm), "no positive cases and none predicted positive"));
        results.Add(Point("mcc", Mcc(cm), "a row or column of the confusion matrix is empty"));
        results.Add(Point("kappa", Kappa(cm), "chance agreement is 1"));
        results.Add(Point("brier", Brier(scores, positive), "the scores are not probabilities in [0, 1]"));
        return results;
    }

    /// <summary>The point estimate of one metric by name (used by the bootstrap).</summary>
    public static double? Value(string metric, ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive, double threshold)
    {
        switch (metric)
        {
            case "auroc": return DeLong.Compute(scores, positive)?.Auc;
            case "auprc": return AveragePrecision(scores, positive);
            case "brier": return Brier(scores, positive);
        }
        var cm = Confusion(scores, positive, threshold);
        return metric switch
        {
            "sensitivity" => Ratio(cm.TruePositives, cm.Positives),
            "specificity" => Ratio(cm.TrueNegatives, cm.Negatives),
            "ppv" => Ratio(cm.TruePositives, cm.TruePositives + cm.FalsePositives),
            "npv" => Ratio(cm.TrueNegatives, cm.TrueNegatives + cm.FalseNegatives),
            "accuracy" => Ratio(cm.TruePositives + cm.TrueNegatives, cm.Total),
            "f1" => F1(cm),
            "mcc" => Mcc(cm),
            "kappa" => Kappa(cm),
            _ => throw new ArgumentException($"unknown binary metric '{metric}'", nameof(metric)),
        };
    }

    /// <summary>Average precision: Σ (R_k − R_{k−1}) · P_k over distinct score thresholds, highest first (scikit-learn's definition).</summary>
    public static double? AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        var m = 0;
        foreach (var p in positive) if (p) m++;
        if (m == 0) return null;

        double ap = 0, previousRecall = 0;
        int tp = 0, fp = 0;
        for (var i = keys.Length - 1; i >= 0;)
        {
            var j = i;
            while (j >= 0 && keys[j] == keys[i]) { if (positive[order[j]]) tp++; else fp++; j--; }
            var recall = tp / (double)m;
            ap += (recall - previousRecall) * (tp / (double)(tp + fp));
            previousRecall = recall;
            i = j;
        }
        return ap;
    }

    public static double? Brier(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        double sum = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] is < 0 or > 1) return null;
            var d = scores[i] - (positive[i] ? 1 : 0);
            sum += d * d;
        }
        return scores.Length == 0 ? null : sum / scores.Length;
    }

    private static double? F1(ConfusionMatrix c) => Ratio(2 * c.TruePositives, 2 * c.TruePositives + c.FalsePositives + c.FalseNegatives);

    private static double? Mcc(ConfusionMatrix c)
    {
        double tp = c.TruePositives, fp = c.FalsePositives, tn = c.TrueNegatives, fn = c.FalseNegatives;
        var denominator = Math.Sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
        return denominator == 0 ? null : (tp * tn - fp * fn) / denominator;
    }

    private static double? Kappa(ConfusionMatrix c)
    {
        double n = c.Total;
        if (n == 0) return null;
        var observed = (c.TruePositives + c.TrueNegatives) / n;
        var chance = ((double)(c.TruePositives + c.FalsePositives) * c.Positives + (double)(c.FalseNegatives + c.TrueNegatives) * c.Negatives) / (n * n);
        return chance >= 1 ? null : (observed - chance) / (1 - chance);
    }

    private static double? Ratio(int numerator, int denominator) => denominator == 0 ? null : numerator / (double)denominator;

    private static MetricResult Point(string name, double? value, string undefinedBecause) =>
        value is { } v ? new MetricResult(name, v, null, null, "point") : MetricResult.Undefined(name, undefinedBecause);

    private static MetricResult Proportion(string name, int successes, int trials, double level, string undefinedBecause)
    {
        if (trials == 0) return MetricResult.Undefined(name, undefinedBecause);
        var (lower, upper) = Intervals.Wilson(successes, trials, level);
        return new MetricResult(name, successes / (double)trials, lower, upper, "wilson");
    }

    private static void CheckInputs(double[] scores, bool[] positive)
    {
        if (scores.Length != positive.Length) throw new ArgumentException("one score per case is needed");
        for (var i = 0; i < scores.Length; i++)
            if (!double.IsFinite(scores[i])) throw new InvalidScoreException(i, scores[i]);
    }
}

/// <summary>A model produced NaN or ±∞ for a case: the evaluation fails with this reason rather than report numbers.</summary>
public sealed class InvalidScoreException(int caseIndex, double score)
    : Exception($"the model's score for case #{caseIndex + 1} is {score}; every score must be a finite number")
{
    public int CaseIndex { get; } = caseIndex;
}
