using System.Diagnostics;

namespace Ai4h.Audit.Bench;

/// <summary>Wall-clock timings of repeated runs, summarised by their median (robust to a busy neighbour on the machine).</summary>
public sealed record Timings(double[] Seconds)
{
    public double Median => MedianOf(Seconds);

    public double Min => Seconds.Min();
    public double Max => Seconds.Max();

    public static Timings Of(Action run, int warmups, int repetitions)
    {
        for (var i = 0; i < warmups; i++) run();
        var seconds = new double[repetitions];
        for (var i = 0; i < repetitions; i++) seconds[i] = Once(run);
        return new Timings(seconds);
    }

    public static double Once(Action run)
    {
        // Collect before timing so that one run's garbage is not charged to the next.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var watch = Stopwatch.StartNew();
        run();
        return watch.Elapsed.TotalSeconds;
    }

    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>"median 12.3 ms (11.9–13.0, 7 runs)".</summary>
    public string Describe() => $"median {Ms(Median)} ({Ms(Min)}–{Ms(Max)}, {Seconds.Length} runs)";

    public static string Ms(double seconds) => seconds >= 1 ? $"{seconds:F2} s" : $"{seconds * 1000:F1} ms";
}
