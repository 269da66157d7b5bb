namespace Ai4h.Audit.Domain.Annotations;

public sealed record ClassAgreement(string Class, double? Kappa);

/// <summary>Inter-reader agreement: the statistic used (Cohen for two fixed readers, Fleiss otherwise), overall and per class.</summary>
public sealed record AgreementReport(string Statistic, int Cases, int ReadersPerCase, double? Kappa, double ObservedAgreement, IReadOnlyList<ClassAgreement> PerClass);

/// <summary>
/// Chance-corrected agreement statistics. Cohen (1960) for two readers who read every case; Fleiss (1971) for a
/// fixed number of readers per case drawn from a larger pool. Per-class values: Cohen's κ on the class-vs-rest
/// table; Fleiss' category-specific κ_j. A κ whose chance agreement is 1 is undefined (null).
/// </summary>
public static class Agreement
{
    /// <summary>Cohen's κ for paired ratings of the same cases by two readers.</summary>
    public static double? Cohen(IReadOnlyList<(string A, string B)> pairs, IReadOnlyList<string> classes)
    {
        if (pairs.Count == 0) return null;
        double n = pairs.Count;
        var observed = pairs.Count(p => p.A == p.B) / n;
        var chance = classes.Sum(k => pairs.Count(p => p.A == k) / n * (pairs.Count(p => p.B == k) / n));
        return chance >= 1 ? null : (observed - chance) / (1 - chance);
    }

    /// <summary>Cohen's κ for one class against all others.</summary>
    public static double? CohenForClass(IReadOnlyList<(string A, string B)> pairs, string @class) =>
        Cohen(pairs.Select(p => (p.A == @class ? "1" : "0", p.B == @class ? "1" : "0")).ToList(), ["0", "1"]);

    /// <summary>
    /// Fleiss' κ from counts[i][j]: how many of the n readers put case i in class j (every row sums to n ≥ 2).
    /// Returns the overall κ, the mean observed agreement and each class's κ_j.
    /// </summary>
    public static (double? Kappa, double Observed, double?[] PerClass) Fleiss(int[][] counts)
    {
        var cases = counts.Length;
        if (cases == 0) return (null, 0, []);
        var k = counts[0].Length;
        var n = counts[0].Sum();
        if (n < 2 || counts.Any(r => r.Sum() != n)) throw new ArgumentException("every case needs the same number (≥ 2) of ratings");

        var p = new double[k];
        for (var j = 0; j < k; j++) p[j] = counts.Sum(r => r[j]) / (double)(cases * n);
        var observed = counts.Average(r => (r.Sum(x => (double)x * x) - n) / (n * (n - 1.0)));
        var chance = p.Sum(x => x * x);
        double? kappa = chance >= 1 ? null : (observed - chance) / (1 - chance);

        var perClass = new double?[k];
        for (var j = 0; j < k; j++)
        {
            var disagreement = counts.Sum(r => (double)r[j] * (n - r[j]));
            var denominator = cases * n * (n - 1.0) * p[j] * (1 - p[j]);
            perClass[j] = denominator == 0 ? null : 1 - disagreement / denominator;
        }
        return (kappa, observed, perClass);
    }
}
