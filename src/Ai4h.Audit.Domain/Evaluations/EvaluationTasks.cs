using System.Globalization;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Submissions;

namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>
/// The cases of one evaluation read for its task: labels parsed and model outputs turned into the scores the
/// metrics take. Every method takes the cases to use as indices, so subgroups and bootstrap resamples share it.
/// </summary>
internal abstract class EvaluationTask
{
    public abstract IReadOnlyList<MetricResult> Metrics(int[] cases, double level);

    /// <summary>The named metrics' point estimates on the given cases (repeats allowed, as in a resample).</summary>
    public abstract IReadOnlyList<double?> Values(IReadOnlyList<string> metrics, int[] cases);

    public virtual ConfusionMatrix? Confusion(int[] cases) => null;

    public virtual int[][]? MulticlassConfusion(int[] cases) => null;

    /// <summary>Reads labels and outputs for the definition's task; a non-finite output throws <see cref="InvalidScoreException"/>.</summary>
    public static EvaluationTask Read(EvaluationInput input)
    {
        var n = input.CaseIds.Count;
        if (input.Labels.Count != n) throw new ArgumentException("one label per case is needed", nameof(input));
        if (input.OutputWidth < 1 || input.Outputs.Length != n * input.OutputWidth)
            throw new ArgumentException($"expected {n} × {input.OutputWidth} outputs, got {input.Outputs.Length}", nameof(input));
        for (var i = 0; i < input.Outputs.Length; i++)
            if (!float.IsFinite(input.Outputs[i]))
                throw new InvalidScoreException(i / input.OutputWidth, input.Outputs[i], input.CaseIds[i / input.OutputWidth]);

        return input.Definition.TaskType switch
        {
            TaskType.BinaryClassification => BinaryTask.Read(input),
            TaskType.MulticlassClassification => MulticlassTask.Read(input),
            _ => RegressionTask.Read(input),
        };
    }

    protected static T[] Pick<T>(T[] values, int[] cases)
    {
        var picked = new T[cases.Length];
        for (var i = 0; i < cases.Length; i++) picked[i] = values[cases[i]];
        return picked;
    }

    /// <summary>Softmax of one row, shifted by its maximum so large logits do not overflow.</summary>
    protected static double[] Softmax(ReadOnlySpan<float> row)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (var v in row) max = Math.Max(max, v);
        var result = new double[row.Length];
        for (var k = 0; k < row.Length; k++) sum += result[k] = Math.Exp(row[k] - max);
        for (var k = 0; k < row.Length; k++) result[k] /= sum;
        return result;
    }
}

/// <summary>Binary: one positive-class score per case; a case is positive when its label equals the positive class.</summary>
internal sealed class BinaryTask(double[] scores, bool[] positive, double threshold) : EvaluationTask
{
    public double Threshold => threshold;

    public static new BinaryTask Read(EvaluationInput input)
    {
        var d = input.Definition;
        var threshold = d.DecisionThreshold ?? throw new ArgumentException("a binary benchmark needs a decision threshold", nameof(input));
        var positiveClass = d.PositiveClass ?? throw new ArgumentException("a binary benchmark needs a positive class", nameof(input));
        if (input.OutputKind == OutputKind.RegressionValue) throw new ArgumentException("a binary task needs class outputs, not a regression value", nameof(input));

        var width = input.OutputWidth;
        var column = 0;
        if (width > 1)
        {
            if (input.PositiveClassIndex is not { } k || k < 0 || k >= width)
                throw new ArgumentException($"a binary model with {width} outputs needs a positive class index below {width}", nameof(input));
            column = k;
        }

        var n = input.CaseIds.Count;
        var scores = new double[n];
        var positive = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var row = input.Outputs.AsSpan(i * width, width);
            scores[i] = (input.OutputKind, width) switch
            {
                (OutputKind.Logits, 1) => Calibration.Sigmoid(row[0]),
                (OutputKind.Logits, _) => Softmax(row)[column],
                _ => row[column],
            };
            positive[i] = input.Labels[i].Trim() == positiveClass;
        }
        return new BinaryTask(scores, positive, threshold);
    }

    public override IReadOnlyList<MetricResult> Metrics(int[] cases, double level) =>
        BinaryMetrics.Compute(Pick(scores, cases), Pick(positive, cases), threshold, level);

    public override IReadOnlyList<double?> Values(IReadOnlyList<string> metrics, int[] cases)
    {
        double[]? s = null;
        bool[]? p = null;
        return metrics.Select(m => m == "auroc"
            ? Auroc(cases)
            : BinaryMetrics.Value(m, s ??= Pick(scores, cases), p ??= Pick(positive, cases), threshold)).ToList();
    }

    /// <summary>Each case's score as a rank among the distinct scores of all cases (ties share one), computed once.</summary>
    private readonly Lazy<(int[] Rank, int Distinct)> _scoreRanks = new(() =>
    {
        var order = Enumerable.Range(0, scores.Length).ToArray();
        var keys = (double[])scores.Clone();
        Array.Sort(keys, order);
        var rank = new int[scores.Length];
        var distinct = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (i > 0 && keys[i] != keys[i - 1]) distinct++;
            rank[order[i]] = distinct;
        }
        return (rank, keys.Length == 0 ? 0 : distinct + 1);
    });

    /// <summary>
    /// AUROC of the given cases (a resample may repeat cases) without sorting: count positives and negatives per
    /// distinct score, then one pass in score order adds, for every positive, the negatives below it and half of those
    /// tied. The Mann–Whitney form of the AUROC, equal to DeLong's; O(N) per bootstrap replicate instead of O(N log N).
    /// </summary>
    private double? Auroc(int[] cases)
    {
        var (rank, distinct) = _scoreRanks.Value;
        var positives = new int[distinct];
        var negatives = new int[distinct];
        foreach (var c in cases)
        {
            if (positive[c]) positives[rank[c]]++;
            else negatives[rank[c]]++;
        }
        double m = 0, n = 0, pairs = 0;
        for (var g = 0; g < distinct; g++)
        {
            pairs += positives[g] * (n + negatives[g] / 2.0);
            m += positives[g];
            n += negatives[g];
        }
        return m == 0 || n == 0 ? null : pairs / (m * n);
    }

    public override ConfusionMatrix Confusion(int[] cases) => BinaryMetrics.Confusion(Pick(scores, cases), Pick(positive, cases), threshold);

    public BinaryDetails Details(int[] cases, double level)
    {
        var s = Pick(scores, cases);
        var p = Pick(positive, cases);
        return new BinaryDetails(threshold, BinaryMetrics.Confusion(s, p, threshold),
            BinaryMetrics.AreProbabilities(s) ? Calibration.Reliability(s, p) : null, BinaryMetrics.RocCurve(s, p));
    }
}

/// <summary>Multiclass: a row of class scores per case (softmax applied to logits) and a class index per label.</summary>
internal sealed class MulticlassTask(int[] labels, double[] scores, int classes, bool probabilities) : EvaluationTask
{
    public static new MulticlassTask Read(EvaluationInput input)
    {
        var classes = input.OutputWidth;
        if (classes < 2) throw new ArgumentException("a multiclass model needs one output per class", nameof(input));
        if (input.OutputKind == OutputKind.RegressionValue) throw new ArgumentException("a multiclass task needs class outputs, not a regression value", nameof(input));

        var n = input.CaseIds.Count;
        var labels = new int[n];
        var scores = new double[n * classes];
        for (var i = 0; i < n; i++)
        {
            if (!int.TryParse(input.Labels[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out labels[i]) || labels[i] >= classes)
                throw new ArgumentException($"case {input.CaseIds[i]}: label '{input.Labels[i]}' is not a class index below {classes}", nameof(input));
            var row = input.Outputs.AsSpan(i * classes, classes);
            if (input.OutputKind == OutputKind.Logits) Softmax(row).CopyTo(scores, i * classes);
            else for (var k = 0; k < classes; k++) scores[i * classes + k] = row[k];
        }
        var probabilities = input.OutputKind != OutputKind.ClassScores && scores.All(s => s is >= 0 and <= 1);
        return new MulticlassTask(labels, scores, classes, probabilities);
    }

    public override IReadOnlyList<MetricResult> Metrics(int[] cases, double level)
    {
        var (l, s) = Subset(cases);
        return MulticlassMetrics.Compute(l, s, classes, probabilities, level);
    }

    public override IReadOnlyList<double?> Values(IReadOnlyList<string> metrics, int[] cases)
    {
        var (l, s) = Subset(cases);
        return metrics.Select(m => MulticlassMetrics.Value(m, l, s, classes, probabilities)).ToList();
    }

    public override int[][] MulticlassConfusion(int[] cases)
    {
        var (l, s) = Subset(cases);
        return MulticlassMetrics.Confusion(l, MulticlassMetrics.Predict(s, classes), classes);
    }

    public MulticlassDetails Details(int[] cases, double level)
    {
        var cm = MulticlassConfusion(cases);
        return new MulticlassDetails(classes, cm, MulticlassMetrics.PerClass(cm, level));
    }

    private (int[] Labels, double[] Scores) Subset(int[] cases)
    {
        var s = new double[cases.Length * classes];
        for (var i = 0; i < cases.Length; i++) Array.Copy(scores, cases[i] * classes, s, i * classes, classes);
        return (Pick(labels, cases), s);
    }
}

/// <summary>Regression: one predicted value per case against a numeric label.</summary>
internal sealed class RegressionTask(double[] predicted, double[] actual) : EvaluationTask
{
    public static new RegressionTask Read(EvaluationInput input)
    {
        if (input.OutputWidth != 1) throw new ArgumentException("a regression model needs exactly one output per case", nameof(input));
        var n = input.CaseIds.Count;
        var actual = new double[n];
        for (var i = 0; i < n; i++)
            if (!double.TryParse(input.Labels[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out actual[i]) || !double.IsFinite(actual[i]))
                throw new ArgumentException($"case {input.CaseIds[i]}: label '{input.Labels[i]}' is not a finite number", nameof(input));
        return new RegressionTask(input.Outputs.Select(v => (double)v).ToArray(), actual);
    }

    public override IReadOnlyList<MetricResult> Metrics(int[] cases, double level) =>
        RegressionMetrics.Compute(Pick(predicted, cases), Pick(actual, cases));

    public override IReadOnlyList<double?> Values(IReadOnlyList<string> metrics, int[] cases)
    {
        var p = Pick(predicted, cases);
        var a = Pick(actual, cases);
        return metrics.Select(m => RegressionMetrics.Value(m, p, a)).ToList();
    }
}
