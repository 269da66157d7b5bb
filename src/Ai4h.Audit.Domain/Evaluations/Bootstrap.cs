namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>
/// Seeded percentile bootstrap (Efron): resample cases with replacement, recompute the statistics, take the
/// quantiles of the replicates. Each replicate draws from its own generator derived from (seed, replicate), so
/// the result is the same whether replicates run in parallel or not, on any machine.
/// </summary>
public static class Bootstrap
{
    /// <summary>A percentile interval and how many replicates it was taken from (those where the statistic was defined).</summary>
    public sealed record Interval(double Lower, double Upper, int ValidReplicates);

    /// <param name="statistic">The statistic on a resample given as case indices; null when undefined on it.</param>
    public static Interval? Percentile(int cases, Func<int[], double?> statistic, int replicates, int seed, double level) =>
        Percentiles(cases, 1, sample => [statistic(sample)], replicates, seed, level)[0];

    /// <summary>
    /// Intervals for several statistics from the same resamples (paired): each replicate draws one resample and
    /// evaluates every statistic on it. A replicate where a statistic is undefined (null or not finite) is skipped
    /// for that statistic only; an entry is null when no replicate was valid.
    /// </summary>
    /// <param name="statistics">The statistics on a resample given as case indices, <paramref name="count"/> values in a fixed order.</param>
    public static Interval?[] Percentiles(int cases, int count, Func<int[], IReadOnlyList<double?>> statistics, int replicates, int seed,
        double level, bool parallel = true)
    {
        if (cases <= 0 || replicates <= 0) return new Interval?[count];
        var values = new IReadOnlyList<double?>[replicates];
        void Replicate(int r) => values[r] = statistics(Resample(cases, seed, r));
        if (parallel) Parallel.For(0, replicates, Replicate);
        else for (var r = 0; r < replicates; r++) Replicate(r);

        var alpha = (1 - level) / 2;
        var intervals = new Interval?[count];
        for (var k = 0; k < count; k++)
        {
            var valid = new List<double>(replicates);
            foreach (var replicate in values)
                if (replicate[k] is { } x && double.IsFinite(x)) valid.Add(x);
            if (valid.Count == 0) continue;
            valid.Sort();
            intervals[k] = new Interval(Intervals.Quantile(valid, alpha), Intervals.Quantile(valid, 1 - alpha), valid.Count);
        }
        return intervals;
    }

    /// <summary>Replicate <paramref name="replicate"/>'s resample: <paramref name="cases"/> indices drawn uniformly with replacement.</summary>
    public static int[] Resample(int cases, int seed, int replicate)
    {
        var rng = new SplitMix64(unchecked(((ulong)(uint)seed << 32) ^ (ulong)replicate));
        var sample = new int[cases];
        for (var i = 0; i < cases; i++) sample[i] = (int)rng.NextBelow((uint)cases);
        return sample;
    }

    /// <summary>SplitMix64 (Steele, Lea &amp; Flood 2014): small, fast, fully specified, so replicates are reproducible.</summary>
    public struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, bound) without modulo bias (Lemire's multiply-and-reject).</summary>
        public uint NextBelow(uint bound)
        {
            var threshold = unchecked(0u - bound) % bound;
            while (true)
            {
                var m = (ulong)(uint)(Next() >> 32) * bound;
                if ((uint)m >= threshold) return (uint)(m >> 32);
            }
        }
    }
}
