namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>One class against the rest: its number of true cases and the Wilson-interval sensitivity and specificity.</summary>
public sealed record ClassMetrics(int Class, int Cases, MetricValue Sensitivity, MetricValue Specificity);

/// <summary>
/// Multiclass classification metrics from per-case class scores (row-major [cases, classes]) and true class indices.
/// The predicted class is the arg-max score, ties going to the lowest index. Definitions follow scikit-learn.
/// </summary>
public static class MulticlassMetrics
{
    /// <summary>The note on log loss and Brier score, which need probabilities.</summary>
    public const string NotProbabilities = "the outputs are not probabilities (class scores, or values outside [0, 1])";

    /// <summary>Every multiclass metric: Wilson interval for accuracy, the others point estimates.</summary>
    /// <param name="probabilities">Whether the scores are probabilities (log loss and Brier score need them).</param>
    public static IReadOnlyList<MetricResult> Compute(int[] labels, double[] scores, int classes, bool probabilities, double level)
    {
        var cm = Confusion(labels, Predict(scores, classes), classes);
        var correct = 0;
        for (var k = 0; k < classes; k++) correct += cm[k][k];
        var accuracy = labels.Length == 0
            ? MetricResult.Undefined("accuracy", "no cases")
            : Wilson("accuracy", correct, labels.Length, level);
        return
        [
            accuracy,
            .. new[] { "balanced_accuracy", "macro_f1", "weighted_f1", "macro_auroc", "log_loss", "brier" }
                .Select(name => Value(name, labels, scores, classes, probabilities, cm) is { } v
                    ? new MetricResult(name, v, null, null, "point")
                    : MetricResult.Undefined(name, WhyUndefined(name, labels, classes, probabilities))),
        ];
    }

    /// <summary>The point estimate of one metric by name (used by the bootstrap); null when undefined.</summary>
    public static double? Value(string metric, int[] labels, double[] scores, int classes, bool probabilities) =>
        Value(metric, labels, scores, classes, probabilities, Confusion(labels, Predict(scores, classes), classes));

    /// <summary>Arg-max class per case; the lowest index wins a tie.</summary>
    public static int[] Predict(double[] scores, int classes)
    {
        var predicted = new int[scores.Length / classes];
        for (var i = 0; i < predicted.Length; i++)
        {
            var best = 0;
            for (var k = 1; k < classes; k++) if (scores[i * classes + k] > scores[i * classes + best]) best = k;
            predicted[i] = best;
        }
        return predicted;
    }

    /// <summary>C×C counts: rows are the true class, columns the predicted class.</summary>
    public static int[][] Confusion(int[] labels, int[] predicted, int classes)
    {
        var cm = new int[classes][];
        for (var k = 0; k < classes; k++) cm[k] = new int[classes];
        for (var i = 0; i < labels.Length; i++) cm[labels[i]][predicted[i]]++;
        return cm;
    }

    /// <summary>Each class against the rest: sensitivity TP/(TP+FN) and specificity TN/(TN+FP), with Wilson intervals.</summary>
    public static IReadOnlyList<ClassMetrics> PerClass(int[][] cm, double level)
    {
        var classes = cm.Length;
        var total = cm.Sum(row => row.Sum());
        var result = new ClassMetrics[classes];
        for (var k = 0; k < classes; k++)
        {
            var cases = cm[k].Sum();
            var predictedK = 0;
            for (var t = 0; t < classes; t++) predictedK += cm[t][k];
            var trueNegatives = total - cases - (predictedK - cm[k][k]);
            result[k] = new ClassMetrics(k, cases,
                (cases == 0 ? MetricResult.Undefined("sensitivity", $"no cases of class {k}") : Wilson("sensitivity", cm[k][k], cases, level)).ToValue(),
                (total - cases == 0 ? MetricResult.Undefined("specificity", $"no cases outside class {k}") : Wilson("specificity", trueNegatives, total - cases, level)).ToValue());
        }
        return result;
    }

    private static double? Value(string metric, int[] labels, double[] scores, int classes, bool probabilities, int[][] cm)
    {
        var n = labels.Length;
        if (n == 0) return null;
        return metric switch
        {
            "accuracy" => Enumerable.Range(0, classes).Sum(k => cm[k][k]) / (double)n,
            "balanced_accuracy" => BalancedAccuracy(cm),
            "macro_f1" => MacroF1(cm),
            "weighted_f1" => WeightedF1(cm, n),
            "macro_auroc" => MacroAuroc(labels, scores, classes),
            "log_loss" => probabilities ? LogLoss(labels, scores, classes) : null,
            "brier" => probabilities ? Brier(labels, scores, classes) : null,
            _ => throw new ArgumentException($"unknown multiclass metric '{metric}'", nameof(metric)),
        };
    }

    private static string WhyUndefined(string metric, int[] labels, int classes, bool probabilities)
    {
        if (labels.Length == 0) return "no cases";
        if (metric is "log_loss" or "brier" && !probabilities) return NotProbabilities;
        var absent = Enumerable.Range(0, classes).Where(k => !labels.Contains(k)).ToList();
        return $"class {string.Join(", ", absent)} has no cases; every class needs cases for a one-vs-rest AUROC";
    }

    /// <summary>Mean recall over the classes that have cases (scikit-learn skips the others).</summary>
    private static double BalancedAccuracy(int[][] cm)
    {
        double sum = 0;
        var present = 0;
        for (var k = 0; k < cm.Length; k++)
        {
            var cases = cm[k].Sum();
            if (cases == 0) continue;
            sum += cm[k][k] / (double)cases;
            present++;
        }
        return sum / present;
    }

    /// <summary>Unweighted mean F1 over the classes that occur among the labels or the predictions (scikit-learn's default labels).</summary>
    private static double MacroF1(int[][] cm)
    {
        double sum = 0;
        var used = 0;
        for (var k = 0; k < cm.Length; k++)
        {
            var (f1, support, predicted) = F1(cm, k);
            if (support == 0 && predicted == 0) continue;
            sum += f1;
            used++;
        }
        return sum / used;
    }

    /// <summary>F1 per class weighted by its number of true cases.</summary>
    private static double WeightedF1(int[][] cm, int n)
    {
        double sum = 0;
        for (var k = 0; k < cm.Length; k++)
        {
            var (f1, support, _) = F1(cm, k);
            sum += f1 * support;
        }
        return sum / n;
    }

    /// <summary>2TP / (2TP + FP + FN); 0 when the class is neither true nor predicted for any case (scikit-learn's zero_division=0).</summary>
    private static (double F1, int Support, int Predicted) F1(int[][] cm, int k)
    {
        var support = cm[k].Sum();
        var predicted = 0;
        for (var t = 0; t < cm.Length; t++) predicted += cm[t][k];
        var denominator = support + predicted;
        return (denominator == 0 ? 0 : 2.0 * cm[k][k] / denominator, support, predicted);
    }

    /// <summary>Mean one-vs-rest AUROC over all classes (scikit-learn's ovr/macro); null when some class has no cases.</summary>
    private static double? MacroAuroc(int[] labels, double[] scores, int classes)
    {
        var column = new double[labels.Length];
        var isClass = new bool[labels.Length];
        double sum = 0;
        for (var k = 0; k < classes; k++)
        {
            for (var i = 0; i < labels.Length; i++)
            {
                column[i] = scores[i * classes + k];
                isClass[i] = labels[i] == k;
            }
            if (DeLong.Compute(column, isClass) is not { } r) return null;
            sum += r.Auc;
        }
        return sum / classes;
    }

    /// <summary>
    /// Mean −ln p(true class), natural log, after clipping to [ε, 1 − ε] (ε = 2⁻⁵², float64 machine epsilon) and
    /// renormalising each row to sum to 1: exactly scikit-learn 1.2's log_loss with eps="auto".
    /// </summary>
    private static double LogLoss(int[] labels, double[] scores, int classes)
    {
        const double eps = 2.220446049250313e-16;
        double loss = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            double rowSum = 0;
            for (var k = 0; k < classes; k++) rowSum += Math.Clamp(scores[i * classes + k], eps, 1 - eps);
            loss -= Math.Log(Math.Clamp(scores[i * classes + labels[i]], eps, 1 - eps) / rowSum);
        }
        return loss / labels.Length;
    }

    /// <summary>Mean over cases of Σ_k (p_k − y_k)², with y the one-hot true class (Brier 1950's original multiclass score).</summary>
    private static double Brier(int[] labels, double[] scores, int classes)
    {
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
            for (var k = 0; k < classes; k++)
            {
                var d = scores[i * classes + k] - (labels[i] == k ? 1 : 0);
                sum += d * d;
            }
        return sum / labels.Length;
    }

    private static MetricResult Wilson(string name, int successes, int trials, double level)
    {
        var (lower, upper) = Intervals.Wilson(successes, trials, level);
        return new MetricResult(name, successes / (double)trials, lower, upper, "wilson");
    }
}
