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
        Array.Sort(pos);
        Array.Sort(neg);

        // Sun & Xu's structural components come from midranks: a positive's rank among all cases minus its rank among
        // the positives is the number of negatives below it plus half of those tied with it (V10 = that / n), and
        // likewise for a negative (V01 = 1 − positives below or half-tied / m). With each class sorted once, one walk
        // over the groups of tied scores gives them all: two sorts of the classes instead of three of the midrank form.
        var v10 = new double[m];
        var v01 = new double[n];
        for (int i = 0, j = 0; i < m || j < n;)
        {
            var x = j >= n || (i < m && pos[i] <= neg[j]) ? pos[i] : neg[j];
            int positivesBelow = i, negativesBelow = j;
            while (i < m && pos[i] == x) i++;
            while (j < n && neg[j] == x) j++;
            double tiedPositives = i - positivesBelow, tiedNegatives = j - negativesBelow;
            Array.Fill(v10, (negativesBelow + tiedNegatives / 2) / n, positivesBelow, i - positivesBelow);
            Array.Fill(v01, 1 - (positivesBelow + tiedPositives / 2) / m, negativesBelow, j - negativesBelow);
        }

        var auc = Mean(v10);
        return new Result(auc, SampleVariance(v10, auc) / m + SampleVariance(v01, Mean(v01)) / n);
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

    private static double Mean(double[] x)
    {
        double sum = 0;
        foreach (var v in x) sum += v;
        return sum / x.Length;
    }

    private static double SampleVariance(double[] x, double mean)
    {
        if (x.Length < 2) return 0;
        double sum = 0;
        foreach (var v in x) sum += (v - mean) * (v - mean);
        return sum / (x.Length - 1);
    }
}
