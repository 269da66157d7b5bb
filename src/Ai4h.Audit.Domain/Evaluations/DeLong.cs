namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>
/// AUROC with its DeLong variance (DeLong, DeLong &amp; Clarke-Pearson 1988), by the fast midrank algorithm of
/// Sun &amp; Xu (2014, IEEE Signal Processing Letters 21:1389): O(N log N) instead of O(m·n).
/// </summary>
public static class DeLong
{
    public sealed record Result(double Auc, double Variance);

    /// <returns>Null when there are no positive or no negative cases (the AUROC is undefined).</returns>
    public static Result? Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        var m = 0;
        foreach (var p in positive) if (p) m++;
        var n = positive.Length - m;
        if (m == 0 || n == 0) return null;

        var pos = new double[m];
        var neg = new double[n];
        for (int i = 0, a = 0, b = 0; i < scores.Length; i++)
        {
            if (positive[i]) pos[a++] = scores[i];
            else neg[b++] = scores[i];
        }

        var tx = MidRanks(pos);
        var ty = MidRanks(neg);
        var tz = MidRanks([.. pos, .. neg]);

        double sumPosRanks = 0;
        for (var i = 0; i < m; i++) sumPosRanks += tz[i];
        // In double: m·(m+1) overflows int once there are more than 46,340 positive cases.
        var auc = (sumPosRanks - (double)m * (m + 1) / 2) / ((double)m * n);

        // Structural components: V10 for each positive, V01 for each negative.
        var v10 = new double[m];
        for (var i = 0; i < m; i++) v10[i] = (tz[i] - tx[i]) / n;
        var v01 = new double[n];
        for (var j = 0; j < n; j++) v01[j] = 1 - (tz[m + j] - ty[j]) / m;

        return new Result(auc, SampleVariance(v10) / m + SampleVariance(v01) / n);
    }

    /// <summary>Ranks 1..N, ties given the mean of the ranks they span.</summary>
    public static double[] MidRanks(double[] values)
    {
        var order = new int[values.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = (double[])values.Clone();
        Array.Sort(keys, order);
        var ranks = new double[values.Length];
        for (var i = 0; i < keys.Length;)
        {
            var j = i;
            while (j + 1 < keys.Length && keys[j + 1] == keys[i]) j++;
            var mid = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++) ranks[order[k]] = mid;
            i = j + 1;
        }
        return ranks;
    }

    private static double SampleVariance(double[] x)
    {
        if (x.Length < 2) return 0;
        var mean = x.Average();
        return x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1);
    }
}
