namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>
/// Binary classification metrics from per-case scores (the model's probability or score for the positive class)
/// and the reference labels. A case is predicted positive when its score is at least the decision threshold.
/// Definitions follow scikit-learn where it has one; undefined values (a zero denominator) are reported as such.
/// </summary>
public static class BinaryMetrics
{
    /// <summary>The note on Brier score and calibration metrics when some score lies outside [0, 1].</summary>
    public const string NotProbabilities = "the scores are not probabilities in [0, 1]";

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
        results.Add(Point("brier", Brier(scores, positive), NotProbabilities));

        if (!AreProbabilities(scores))
        {
            results.Add(MetricResult.Undefined("ece", NotProbabilities));
            results.Add(MetricResult.Undefined("calibration_slope", NotProbabilities));
            results.Add(MetricResult.Undefined("calibration_intercept", NotProbabilities));
            return results;
        }
        results.Add(Point("ece", Calibration.ExpectedCalibrationError(scores, positive), "no cases"));
        var fit = Calibration.Recalibrate(scores, positive);
        results.Add(Point("calibration_slope", fit.Slope, fit.Note!));
        results.Add(Point("calibration_intercept", fit.Intercept, fit.Note!));
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
            case "ece": return AreProbabilities(scores) ? Calibration.ExpectedCalibrationError(scores, positive) : null;
            case "calibration_slope": return AreProbabilities(scores) ? Calibration.Recalibrate(scores, positive).Slope : null;
            case "calibration_intercept": return AreProbabilities(scores) ? Calibration.Recalibrate(scores, positive).Intercept : null;
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

    /// <summary>
    /// The ROC curve at every distinct score, highest first, after the start point (0, 0) whose threshold is null (no
    /// case predicted positive): scikit-learn's roc_curve with drop_intermediate=False. Empty with only one class.
    /// </summary>
    public static IReadOnlyList<RocPoint> RocCurve(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        var m = 0;
        foreach (var p in positive) if (p) m++;
        var n = scores.Length - m;
        if (m == 0 || n == 0) return [];

        var points = new List<RocPoint> { new(0, 0, null) };
        int tp = 0, fp = 0;
        for (var i = keys.Length - 1; i >= 0;)
        {
            var j = i;
            while (j >= 0 && keys[j] == keys[i]) { if (positive[order[j]]) tp++; else fp++; j--; }
            points.Add(new RocPoint(fp / (double)n, tp / (double)m, keys[i]));
            i = j;
        }
        return points;
    }

    /// <summary>True when every score is a probability in [0, 1], so Brier score and calibration are defined.</summary>
    public static bool AreProbabilities(ReadOnlySpan<double> scores)
    {
        foreach (var s in scores) if (s is < 0 or > 1) return false;
        return true;
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

/// <summary>One point of the ROC curve; cases with score ≥ <see cref="Threshold"/> are called positive (null: none are).</summary>
public sealed record RocPoint(double Fpr, double Tpr, double? Threshold);

/// <summary>A model produced NaN or ±∞ for a case: the evaluation fails with this reason rather than report numbers.</summary>
public sealed class InvalidScoreException(int caseIndex, double score, string? caseId = null)
    : Exception($"the model's score for case #{caseIndex + 1}{(caseId is null ? "" : $" (id {caseId})")} is {score}; every score must be a finite number")
{
    public int CaseIndex { get; } = caseIndex;
    public string? CaseId { get; } = caseId;
}
