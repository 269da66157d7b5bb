namespace Ai4h.Audit.Domain.Benchmarks;

public enum TaskType { BinaryClassification, MulticlassClassification, Regression }

/// <summary>How confidence intervals are computed: Wilson score for proportions, or a seeded percentile bootstrap.</summary>
public enum IntervalMethod { Wilson, Bootstrap }

public sealed record ConfidenceIntervalSpec(IntervalMethod Method, double Level, int? BootstrapReplicates, int? Seed);

/// <summary>Which value of a metric a criterion judges: the point estimate or a confidence bound.</summary>
public enum CriterionBound { Estimate, LowerBound, UpperBound }

public enum CriterionComparison { AtLeast, AtMost }

/// <summary>
/// One acceptance criterion as data, e.g. AUROC lower bound ≥ 0.85 overall, or sensitivity ≥ 0.90 in every
/// subgroup of <c>sex</c> with at least 30 cases. Judged automatically when evaluations complete.
/// </summary>
public sealed record AcceptanceCriterion(
    string Metric,
    CriterionBound Bound,
    CriterionComparison Comparison,
    double Threshold,
    string? EverySubgroupOf = null,
    int? MinSubgroupCases = null)
{
    public string Describe(double level)
    {
        var bound = Bound switch
        {
            CriterionBound.LowerBound => $" lower {level * 100:0.#}% bound",
            CriterionBound.UpperBound => $" upper {level * 100:0.#}% bound",
            _ => "",
        };
        var op = Comparison == CriterionComparison.AtLeast ? "≥" : "≤";
        var scope = EverySubgroupOf is null ? "" :
            $" in every {EverySubgroupOf} subgroup" + (MinSubgroupCases is { } n ? $" with ≥ {n} cases" : "");
        return $"{Metric}{bound} {op} {Threshold:0.###}{scope}";
    }
}

/// <summary>
/// What a benchmark (an FG-AI4H use case) is: the task, the exact test data version, which columns mean what,
/// the metrics to report with their intervals, and the criteria a model must meet.
/// </summary>
public sealed record BenchmarkDefinition(
    string Name,
    string ClinicalTask,
    TaskType TaskType,
    Guid DatasetId,
    int DatasetVersion,
    string DatasetSha256,
    string CaseIdColumn,
    string LabelColumn,
    IReadOnlyList<string> FeatureColumns,
    IReadOnlyList<string> SubgroupColumns,
    string? PositiveClass,
    double? DecisionThreshold,
    IReadOnlyList<string> Metrics,
    ConfidenceIntervalSpec ConfidenceInterval,
    IReadOnlyList<AcceptanceCriterion> AcceptanceCriteria,
    bool HideRows);
