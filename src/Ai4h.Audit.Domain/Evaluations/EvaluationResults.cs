using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Submissions;

namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>
/// What the calculator needs: the benchmark, the reference cases in file order and the model's outputs for them.
/// </summary>
/// <param name="Labels">Raw label cells: binary, compared with the positive class; multiclass, a class index; regression, a number (invariant culture).</param>
/// <param name="SubgroupValues">For each subgroup column, its raw cell per case.</param>
/// <param name="Outputs">The model's outputs, row-major [cases, <paramref name="OutputWidth"/>].</param>
/// <param name="PositiveClassIndex">Binary tasks with two or more output columns: the column of the positive class.</param>
public sealed record EvaluationInput(
    BenchmarkDefinition Definition,
    IReadOnlyList<string> CaseIds,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, IReadOnlyList<string>> SubgroupValues,
    float[] Outputs,
    int OutputWidth,
    OutputKind OutputKind,
    int? PositiveClassIndex);

/// <summary>Every metric overall and per subgroup, with intervals, and the verdict on each acceptance criterion.</summary>
/// <param name="Passed">True when every acceptance criterion passed (and so when there are none).</param>
public sealed record EvaluationResults(
    int Cases,
    IReadOnlyDictionary<string, MetricValue> Metrics,
    BinaryDetails? Binary,
    MulticlassDetails? Multiclass,
    IReadOnlyList<SubgroupResult> Subgroups,
    IReadOnlyList<CriterionVerdict> Verdicts,
    bool Passed);

/// <summary>The overall binary tables: confusion matrix at the threshold, reliability bins (null unless the scores are probabilities), ROC curve.</summary>
public sealed record BinaryDetails(
    double Threshold,
    ConfusionMatrix Confusion,
    IReadOnlyList<ReliabilityBin>? Calibration,
    IReadOnlyList<RocPoint> Roc);

/// <summary>The overall multiclass tables: C×C confusion matrix (rows true class, columns predicted) and one-vs-rest results per class.</summary>
public sealed record MulticlassDetails(int Classes, int[][] Confusion, IReadOnlyList<ClassMetrics> PerClass);

/// <summary>The results for one subgroup column, one entry per level (ordinal order, "(missing)" last).</summary>
public sealed record SubgroupResult(string Column, IReadOnlyList<SubgroupLevel> Levels);

/// <summary>
/// The metrics within one subgroup level, with its case count; the confusion matrix of a binary
/// (<paramref name="Confusion"/>) or multiclass (<paramref name="MulticlassConfusion"/>) task.
/// </summary>
public sealed record SubgroupLevel(
    string Level,
    int Cases,
    IReadOnlyDictionary<string, MetricValue> Metrics,
    ConfusionMatrix? Confusion,
    int[][]? MulticlassConfusion);

/// <summary>
/// The judgement of one acceptance criterion and the numbers it was judged on: <paramref name="Judged"/> for an
/// overall criterion; for a subgroup criterion one entry per level judged and the levels left out as too small.
/// </summary>
/// <param name="Criterion">The criterion as people read it (<see cref="AcceptanceCriterion.Describe"/>).</param>
/// <param name="Reason">Why it failed, when the number to judge was undefined or there was nothing to judge.</param>
public sealed record CriterionVerdict(
    string Criterion,
    AcceptanceCriterion Definition,
    bool Passed,
    double? Judged,
    string? Reason,
    IReadOnlyList<LevelJudgement> Levels,
    IReadOnlyList<ExcludedLevel> Excluded);

/// <summary>One subgroup level judged against a criterion.</summary>
public sealed record LevelJudgement(string Level, int Cases, double? Judged, bool Passed, string? Reason);

/// <summary>A subgroup level left out of a criterion for having fewer cases than its minimum.</summary>
public sealed record ExcludedLevel(string Level, int Cases);
