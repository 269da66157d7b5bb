using System.Globalization;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Domain.Benchmarks;

/// <summary>
/// Checks a benchmark definition against the exact test data it names. Every problem is reported at once, each
/// naming the field (and column) and the rule, so a data steward can fix a definition in one pass.
/// </summary>
public static class BenchmarkDecisions
{
    /// <summary>A subgroup column with more distinct values than this is not categorical.</summary>
    public const int MaxSubgroupLevels = 50;

    public sealed record Problem(string Field, string Rule);

    public static BenchmarkDefined Define(Guid benchmarkId, BenchmarkDefinition definition, DatasetVersionInfo data, byte[] bytes, string? reason)
    {
        ThrowIfInvalid(Validate(definition, data, bytes));
        return new BenchmarkDefined(benchmarkId, 1, definition, Clean(reason));
    }

    public static BenchmarkRevised Revise(Benchmark benchmark, BenchmarkDefinition definition, DatasetVersionInfo data, byte[] bytes, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw DecisionRejected.Invalid("reason", "a new benchmark version needs the reason for the change");
        ThrowIfInvalid(Validate(definition, data, bytes));
        if (System.Text.Json.JsonSerializer.Serialize(definition) == System.Text.Json.JsonSerializer.Serialize(benchmark.Current.Definition))
            throw DecisionRejected.Conflict("the definition is the same as the current version; nothing to revise");
        return new BenchmarkRevised(benchmark.Id, benchmark.Current.Version + 1, definition, Text.Reason(reason)!);
    }

    public static LeaderboardPublicationChanged ChangeLeaderboard(Benchmark benchmark, bool publish, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 2000)
            throw DecisionRejected.Invalid("reason", "say why the leaderboard is published or withdrawn (1 to 2000 characters)");
        if (benchmark.LeaderboardPublished == publish)
            throw DecisionRejected.Conflict(publish ? "the leaderboard is published already" : "the leaderboard is not published");
        return new LeaderboardPublicationChanged(benchmark.Id, publish, reason.Trim());
    }

    public static IReadOnlyList<Problem> Validate(BenchmarkDefinition d, DatasetVersionInfo data, byte[] bytes)
    {
        var problems = new List<Problem>();
        void Fail(string field, string rule) => problems.Add(new Problem(field, rule));

        if (data.Sha256 != d.DatasetSha256) Fail("datasetVersion", $"version {data.Version} has SHA-256 {data.Sha256}, not the one given");
        var columns = data.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        bool Exists(string field, string column)
        {
            if (columns.ContainsKey(column)) return true;
            Fail(field, $"column '{column}' does not exist in data set version {data.Version}");
            return false;
        }

        var rows = CsvProfiler.ReadRows(bytes);
        string[] Values(string column)
        {
            var index = ((List<string>)[.. rows[0]]).IndexOf(column);
            return rows.Skip(1).Select(r => r[index].Trim()).ToArray();
        }

        // Case ids: present and unique, because every prediction is matched to its case by id.
        if (Exists("caseIdColumn", d.CaseIdColumn))
        {
            var ids = Values(d.CaseIdColumn);
            if (ids.Any(CsvProfiler.IsMissing)) Fail("caseIdColumn", $"column '{d.CaseIdColumn}' has missing case ids");
            else if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Length) Fail("caseIdColumn", $"column '{d.CaseIdColumn}' has duplicate case ids");
        }

        if (Exists("labelColumn", d.LabelColumn)) CheckLabels(d, Values(d.LabelColumn), Fail);

        if (d.FeatureColumns.Count == 0) Fail("featureColumns", "name at least one feature column, in the order the model takes them");
        if (d.FeatureColumns.Distinct(StringComparer.Ordinal).Count() != d.FeatureColumns.Count) Fail("featureColumns", "a feature column is listed twice");
        foreach (var feature in d.FeatureColumns.Where(f => Exists("featureColumns", f)))
        {
            var c = columns[feature];
            if (feature == d.LabelColumn) Fail("featureColumns", $"the label column '{feature}' cannot be a feature");
            else if (feature == d.CaseIdColumn) Fail("featureColumns", $"the case id column '{feature}' cannot be a feature");
            else if (c.Type is not (ColumnType.Integer or ColumnType.Number or ColumnType.Boolean))
                Fail("featureColumns", $"column '{feature}' is {c.Type}; features must be numeric");
            else if (c.MissingCount > 0)
                Fail("featureColumns", $"column '{feature}' has {c.MissingCount} missing values; a test set's features must be complete");
        }

        foreach (var subgroup in d.SubgroupColumns.Where(s => Exists("subgroupColumns", s)))
        {
            var levels = Values(subgroup).Where(v => !CsvProfiler.IsMissing(v)).Distinct(StringComparer.Ordinal).Count();
            if (subgroup == d.LabelColumn) Fail("subgroupColumns", $"the label column '{subgroup}' cannot be a subgroup");
            else if (columns[subgroup].Type == ColumnType.Number || levels > MaxSubgroupLevels)
                Fail("subgroupColumns", $"column '{subgroup}' is not categorical ({levels} distinct values; at most {MaxSubgroupLevels}); band it first");
        }

        var allowed = MetricCatalogue.For(d.TaskType);
        if (d.Metrics.Count == 0) Fail("metrics", "name at least one metric");
        foreach (var m in d.Metrics.Where(m => !allowed.Contains(m)))
            Fail("metrics", $"'{m}' is not a {d.TaskType} metric; choose from {string.Join(", ", allowed)}");

        CheckInterval(d.ConfidenceInterval, d.Metrics, Fail);

        for (var i = 0; i < d.AcceptanceCriteria.Count; i++)
        {
            var c = d.AcceptanceCriteria[i];
            var field = $"acceptanceCriteria[{i}]";
            if (!d.Metrics.Contains(c.Metric)) Fail(field, $"metric '{c.Metric}' is not among the benchmark's metrics");
            if (!double.IsFinite(c.Threshold)) Fail(field, "the threshold must be a finite number");
            if (c.EverySubgroupOf is { } s && !d.SubgroupColumns.Contains(s)) Fail(field, $"'{s}' is not one of the benchmark's subgroup columns");
            if (c.MinSubgroupCases is { } n && (n < 1 || c.EverySubgroupOf is null)) Fail(field, "a minimum subgroup size needs a subgroup column and must be at least 1");
        }

        if (string.IsNullOrWhiteSpace(d.Name) || d.Name.Length > 200) Fail("name", "must be 1 to 200 characters");
        if (string.IsNullOrWhiteSpace(d.ClinicalTask) || d.ClinicalTask.Length > 2000) Fail("clinicalTask", "must be 1 to 2000 characters");
        return problems;
    }

    private static void CheckLabels(BenchmarkDefinition d, string[] labels, Action<string, string> fail)
    {
        var column = d.LabelColumn;
        if (labels.Any(CsvProfiler.IsMissing)) { fail("labelColumn", $"column '{column}' has missing labels"); return; }
        var classes = labels.Distinct(StringComparer.Ordinal).ToList();
        switch (d.TaskType)
        {
            case TaskType.BinaryClassification:
                if (classes.Count != 2)
                    fail("labelColumn", $"column '{column}' has {classes.Count} distinct values; a binary task needs exactly two");
                else if (d.PositiveClass is null || !classes.Contains(d.PositiveClass))
                    fail("positiveClass", $"must be one of the label values: {string.Join(", ", classes.Order())}");
                if (d.DecisionThreshold is not (> 0 and < 1))
                    fail("decisionThreshold", "a binary task needs a decision threshold strictly between 0 and 1");
                break;
            case TaskType.MulticlassClassification:
                if (!labels.All(l => int.TryParse(l, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var k) && k >= 0))
                    fail("labelColumn", $"column '{column}' must hold non-negative integer class indices for a multiclass task");
                else if (classes.Count < 3)
                    fail("labelColumn", $"column '{column}' has {classes.Count} classes; use a binary task for two");
                break;
            case TaskType.Regression:
                if (!labels.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)))
                    fail("labelColumn", $"column '{column}' must be numeric for a regression task");
                break;
        }
        if (d.TaskType != TaskType.BinaryClassification && (d.PositiveClass is not null || d.DecisionThreshold is not null))
            fail("decisionThreshold", "a positive class and decision threshold apply to binary tasks only");
    }

    private static void CheckInterval(ConfidenceIntervalSpec ci, IReadOnlyList<string> metrics, Action<string, string> fail)
    {
        if (ci.Level is not (>= 0.5 and < 1)) fail("confidenceInterval.level", "must be at least 0.5 and below 1 (e.g. 0.95)");
        if (ci.Method == IntervalMethod.Bootstrap)
        {
            if (ci.BootstrapReplicates is not (>= 200 and <= 100_000)) fail("confidenceInterval.bootstrapReplicates", "must be 200 to 100000");
            if (ci.Seed is null) fail("confidenceInterval.seed", "a bootstrap needs a fixed seed so anyone can reproduce the interval");
        }
        else
        {
            // Under the analytic method proportions get Wilson intervals and AUROC its DeLong interval; nothing else has one.
            var noAnalytic = metrics.Where(m => !MetricCatalogue.Analytic.Contains(m)).ToList();
            if (noAnalytic.Count > 0)
                fail("confidenceInterval.method", $"Wilson intervals apply to proportions (and DeLong to auroc) only; {string.Join(", ", noAnalytic)} need Bootstrap");
        }
    }

    private static void ThrowIfInvalid(IReadOnlyList<Problem> problems)
    {
        if (problems.Count > 0) throw new DefinitionRejected(problems);
    }

    private static string? Clean(string? reason) => Text.Reason(reason);
}

/// <summary>A definition that breaks one or more rules; each problem names its field.</summary>
public sealed class DefinitionRejected(IReadOnlyList<BenchmarkDecisions.Problem> problems)
    : Exception(string.Join("; ", problems.Select(p => $"{p.Field}: {p.Rule}")))
{
    public IReadOnlyList<BenchmarkDecisions.Problem> Problems { get; } = problems;
}
