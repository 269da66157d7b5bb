namespace Ai4h.Audit.Domain.Evaluations;

/// <summary>
/// Seeded percentile bootstrap (Efron): resample cases with replacement, recompute the statistic, take the
/// quantiles of the replicates. Each replicate draws from its own generator derived from (seed, replicate), so
/// the result is the same whether replicates run in parallel or not, on any machine.
/// </summary>
public static class Bootstrap
{
    public sealed record Interval(double Lower, double Upper, int ValidReplicates);

    /// <param name="statistic">The statistic on a resample given as case indices; null when undefined on it.</param>
    public static Interval? Percentile(int cases, Func<int[], double?> statistic, int replicates, int seed, double level)
    {
        if (cases <= 0 || replicates <= 0) return null;
        var values = new double?[replicates];
        Parallel.For(0, replicates, r =>
        {
            var rng = new SplitMix64(unchecked(((ulong)(uint)seed << 32) ^ (ulong)r));
            var sample = new int[cases];
            for (var i = 0; i < cases; i++) sample[i] = (int)rng.NextBelow((uint)cases);
            values[r] = statistic(sample);
        });
        var valid = values.Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).Order().ToList();
        if (valid.Count == 0) return null;
        var alpha = (1 - level) / 2;
        return new Interval(Intervals.Quantile(valid, alpha), Intervals.Quantile(valid, 1 - alpha), valid.Count);
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
