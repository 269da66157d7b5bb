using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Datasets;

namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>
/// Computes a benchmark's evaluation from a model's outputs: every metric of the task overall and in each subgroup
/// level, with confidence intervals, and the verdict on each acceptance criterion. Pure and deterministic: the same
/// input gives the same results, whether or not the bootstrap runs in parallel. Definitions: docs/metrics.md.
/// </summary>
public static class EvaluationCalculator
{
    /// <summary>The level of cases whose subgroup value is missing (empty, NA, …; see <see cref="CsvProfiler.IsMissing"/>).</summary>
    public const string MissingLevel = "(missing)";

    public const string BootstrapMethod = "bootstrap_percentile";

    /// <exception cref="InvalidScoreException">An output is NaN or ±∞ (names the case).</exception>
    /// <exception cref="ArgumentException">The input does not fit the definition (counts, widths, labels).</exception>
    public static EvaluationResults Compute(EvaluationInput input, bool parallel = true)
    {
        var d = input.Definition;
        var task = EvaluationTask.Read(input);
        var all = Enumerable.Range(0, input.CaseIds.Count).ToArray();
        var level = d.ConfidenceInterval.Level;

        var overall = Metrics(task, all, d, parallel);
        var subgroups = d.SubgroupColumns.Select(column => Subgroup(task, column, input, parallel)).ToList();
        var verdicts = d.AcceptanceCriteria.Select(c => Judge(c, overall, subgroups, level)).ToList();
        return new EvaluationResults(all.Length, overall,
            (task as BinaryTask)?.Details(all, level),
            (task as MulticlassTask)?.Details(all, level),
            subgroups, verdicts, verdicts.All(v => v.Passed));
    }

    /// <summary>
    /// The task's whole metric set on the given cases. Under a bootstrap benchmark, the metrics the definition names
    /// get percentile intervals from the same resamples (a metric undefined on all the cases is not resampled);
    /// the rest keep their analytic interval (DeLong, Wilson) or are point estimates.
    /// </summary>
    private static Dictionary<string, MetricValue> Metrics(EvaluationTask task, int[] cases, BenchmarkDefinition d, bool parallel)
    {
        if (cases.Length == 0)
            return MetricCatalogue.For(d.TaskType).ToDictionary(m => m, m => MetricResult.Undefined(m, "no cases").ToValue());

        var ci = d.ConfidenceInterval;
        var results = task.Metrics(cases, ci.Level).ToDictionary(r => r.Name, r => r.ToValue());
        if (ci.Method != IntervalMethod.Bootstrap) return results;

        var replicates = ci.BootstrapReplicates ?? throw new ArgumentException("a bootstrap benchmark needs a number of replicates");
        var seed = ci.Seed ?? throw new ArgumentException("a bootstrap benchmark needs a seed");
        var wanted = d.Metrics.Where(m => results.TryGetValue(m, out var v) && v.Value is not null).ToList();
        var intervals = Bootstrap.Percentiles(cases.Length, wanted.Count,
            sample => task.Values(wanted, Array.ConvertAll(sample, i => cases[i])), replicates, seed, ci.Level, parallel);
        for (var k = 0; k < wanted.Count; k++)
        {
            var value = results[wanted[k]].Value;
            results[wanted[k]] = intervals[k] is { } iv
                ? new MetricValue(value, iv.Lower, iv.Upper, BootstrapMethod, null, iv.ValidReplicates)
                : new MetricValue(value, null, null, BootstrapMethod, "undefined on every bootstrap replicate", 0);
        }
        return results;
    }

    private static SubgroupResult Subgroup(EvaluationTask task, string column, EvaluationInput input, bool parallel)
    {
        if (!input.SubgroupValues.TryGetValue(column, out var values) || values.Count != input.CaseIds.Count)
            throw new ArgumentException($"subgroup column '{column}' needs one value per case", nameof(input));

        var levels = values
            .Select((value, i) => (Level: CsvProfiler.IsMissing(value) ? MissingLevel : value.Trim(), Case: i))
            .GroupBy(x => x.Level, x => x.Case, StringComparer.Ordinal)
            .OrderBy(g => g.Key == MissingLevel)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var cases = g.ToArray();
                return new SubgroupLevel(g.Key, cases.Length, Metrics(task, cases, input.Definition, parallel),
                    task.Confusion(cases), task.MulticlassConfusion(cases));
            });
        return new SubgroupResult(column, levels.ToList());
    }

    /// <summary>
    /// Judges one criterion. A number that cannot be judged (undefined metric, no interval bound) fails, and so does
    /// a subgroup criterion with no level large enough to judge: a criterion is never passed by default.
    /// </summary>
    private static CriterionVerdict Judge(AcceptanceCriterion c, IReadOnlyDictionary<string, MetricValue> overall,
        IReadOnlyList<SubgroupResult> subgroups, double level)
    {
        var text = c.Describe(level);
        if (c.EverySubgroupOf is null)
        {
            var (value, why) = Judged(c, overall);
            return new CriterionVerdict(text, c, value is { } v && Meets(c, v), value, why, [], []);
        }

        var column = subgroups.FirstOrDefault(s => s.Column == c.EverySubgroupOf);
        if (column is null)
            return new CriterionVerdict(text, c, false, null, $"'{c.EverySubgroupOf}' is not a subgroup column of this benchmark", [], []);

        var minimum = c.MinSubgroupCases ?? 1;
        var excluded = column.Levels.Where(l => l.Cases < minimum).Select(l => new ExcludedLevel(l.Level, l.Cases)).ToList();
        var judged = column.Levels.Where(l => l.Cases >= minimum).Select(l =>
        {
            var (value, why) = Judged(c, l.Metrics);
            return new LevelJudgement(l.Level, l.Cases, value, value is { } v && Meets(c, v), why);
        }).ToList();

        var failing = judged.Where(j => !j.Passed).Select(j => j.Level).ToList();
        var reason = judged.Count == 0 ? $"no {column.Column} subgroup has at least {minimum} cases"
            : failing.Count > 0 ? $"fails in {column.Column} {string.Join(", ", failing)}"
            : null;
        return new CriterionVerdict(text, c, reason is null, null, reason, judged, excluded);
    }

    /// <summary>The number a criterion judges (estimate or a bound), or why there is none.</summary>
    private static (double? Value, string? Why) Judged(AcceptanceCriterion c, IReadOnlyDictionary<string, MetricValue> metrics)
    {
        if (!metrics.TryGetValue(c.Metric, out var m)) return (null, $"{c.Metric} is not computed for this task");
        if (m.Value is null) return (null, $"{c.Metric} is undefined: {m.Note}");
        var (bound, name) = c.Bound switch
        {
            CriterionBound.LowerBound => (m.CiLower, "lower"),
            CriterionBound.UpperBound => (m.CiUpper, "upper"),
            _ => (m.Value, "estimate"),
        };
        return bound is null ? (null, $"{c.Metric} has no {name} confidence bound{(m.Note is null ? "" : $": {m.Note}")}") : (bound, null);
    }

    private static bool Meets(AcceptanceCriterion c, double value) =>
        c.Comparison == CriterionComparison.AtLeast ? value >= c.Threshold : value <= c.Threshold;
}
