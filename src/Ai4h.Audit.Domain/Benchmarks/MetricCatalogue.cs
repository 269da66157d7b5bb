namespace Ai4h.Audit.Domain.Benchmarks;

/// <summary>
/// The metrics a benchmark may ask for, by task type (names as stored in definitions and results). Each list is the
/// task's whole standard set, the metrics every evaluation reports (definitions in docs/metrics.md).
/// </summary>
public static class MetricCatalogue
{
    public static readonly IReadOnlyList<string> Binary =
    [
        "auroc", "auprc", "sensitivity", "specificity", "ppv", "npv", "accuracy", "f1", "mcc", "kappa", "brier",
        "ece", "calibration_slope", "calibration_intercept",
    ];

    public static readonly IReadOnlyList<string> Multiclass =
        ["accuracy", "balanced_accuracy", "macro_f1", "weighted_f1", "macro_auroc", "log_loss", "brier"];

    public static readonly IReadOnlyList<string> Regression = ["mae", "rmse", "r2", "pearson", "spearman"];

    public static IReadOnlyList<string> For(TaskType task) => task switch
    {
        TaskType.BinaryClassification => Binary,
        TaskType.MulticlassClassification => Multiclass,
        _ => Regression,
    };

    /// <summary>Metrics that are proportions of cases, for which the Wilson interval is defined.</summary>
    public static readonly IReadOnlySet<string> Proportions =
        new HashSet<string>(["sensitivity", "specificity", "ppv", "npv", "accuracy"]);

    /// <summary>Metrics with an analytic interval, allowed under the Wilson method: the proportions, and AUROC by DeLong.</summary>
    public static readonly IReadOnlySet<string> Analytic = new HashSet<string>([.. Proportions, "auroc"]);
}
