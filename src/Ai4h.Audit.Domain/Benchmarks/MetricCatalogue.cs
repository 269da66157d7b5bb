namespace Ai4h.Audit.Domain.Benchmarks;

/// <summary>The metrics a benchmark may ask for, by task type (names as stored in definitions and results).</summary>
public static class MetricCatalogue
{
    public static readonly IReadOnlyList<string> Binary =
        ["auroc", "auprc", "sensitivity", "specificity", "ppv", "npv", "accuracy", "f1", "brier"];

    public static readonly IReadOnlyList<string> Multiclass = ["accuracy", "balanced_accuracy", "macro_f1"];

    public static readonly IReadOnlyList<string> Regression = ["mae", "rmse", "r2"];

    public static IReadOnlyList<string> For(TaskType task) => task switch
    {
        TaskType.BinaryClassification => Binary,
        TaskType.MulticlassClassification => Multiclass,
        _ => Regression,
    };

    /// <summary>Metrics that are proportions of cases, for which the Wilson interval is defined.</summary>
    public static readonly IReadOnlySet<string> Proportions =
        new HashSet<string>(["sensitivity", "specificity", "ppv", "npv", "accuracy"]);
}
