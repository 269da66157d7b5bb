using System.Text.Json.Serialization;

namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>
/// One reported number: the point estimate, its confidence interval and how it was computed. A metric that is
/// undefined on the data (e.g. sensitivity with no positive cases) has a null value and says why in
/// <see cref="Note"/>, rather than a made-up number.
/// </summary>
public sealed record MetricResult(string Name, double? Value, double? CiLower, double? CiUpper, string Method, string? Note = null)
{
    public static MetricResult Undefined(string name, string why) => new(name, null, null, null, "undefined", why);

    public MetricValue ToValue() => new(Value, CiLower, CiUpper, Method, Note);
}

/// <summary>
/// A metric as stored in evaluation results, keyed by its name. The JSON names are fixed here, whatever naming
/// policy the serialiser uses, because reports and dossiers read them.
/// </summary>
public sealed record MetricValue(
    [property: JsonPropertyName("value")] double? Value,
    [property: JsonPropertyName("ci_lower")] double? CiLower,
    [property: JsonPropertyName("ci_upper")] double? CiUpper,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("note")] string? Note = null,
    [property: JsonPropertyName("valid_replicates")] int? ValidReplicates = null);

/// <summary>The 2×2 table at the benchmark's decision threshold (score ≥ threshold is predicted positive).</summary>
public sealed record ConfusionMatrix(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    public int Positives => TruePositives + FalseNegatives;
    public int Negatives => TrueNegatives + FalsePositives;
    public int Total => Positives + Negatives;
}
