using System.Globalization;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Datasets;

namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>
/// A benchmark's test data read into the shape the Runner needs: case ids, reference labels, subgroup values, and
/// the features as one row-major float32 array in the benchmark's column order (what the model's input tensor takes).
/// </summary>
public sealed record TestCases(
    IReadOnlyList<string> CaseIds,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, IReadOnlyList<string>> SubgroupValues,
    float[] Features,
    int FeatureCount)
{
    public int Count => CaseIds.Count;

    /// <summary>Reads the test data a definition names. Throws <see cref="CsvRejected"/> naming the row and column of any unusable value.</summary>
    public static TestCases Read(BenchmarkDefinition definition, ReadOnlySpan<byte> bytes)
    {
        var rows = CsvProfiler.ReadRows(bytes);
        var header = rows[0];
        int Column(string name)
        {
            for (var i = 0; i < header.Count; i++) if (header[i] == name) return i;
            throw new CsvRejected($"the test data has no column '{name}'");
        }

        var idColumn = Column(definition.CaseIdColumn);
        var labelColumn = Column(definition.LabelColumn);
        var featureColumns = definition.FeatureColumns.Select(Column).ToArray();
        var subgroupColumns = definition.SubgroupColumns.ToDictionary(s => s, Column);

        var n = rows.Count - 1;
        var ids = new string[n];
        var labels = new string[n];
        var subgroups = definition.SubgroupColumns.ToDictionary(s => s, _ => new string[n]);
        var features = new float[n * featureColumns.Length];
        for (var r = 0; r < n; r++)
        {
            var row = rows[r + 1];
            ids[r] = row[idColumn].Trim();
            labels[r] = row[labelColumn].Trim();
            foreach (var (name, column) in subgroupColumns) subgroups[name][r] = row[column].Trim();
            for (var f = 0; f < featureColumns.Length; f++)
                features[r * featureColumns.Length + f] = Feature(row[featureColumns[f]], r + 1, header[featureColumns[f]]);
        }

        return new TestCases(ids, labels, subgroups.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value), features, featureColumns.Length);
    }

    private static float Feature(string cell, int row, string column)
    {
        var value = cell.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return (float)number;
        if (bool.TryParse(value, out var flag)) return flag ? 1f : 0f;
        throw new CsvRejected($"row {row}, column '{column}': '{value}' is not a finite number");
    }
}
