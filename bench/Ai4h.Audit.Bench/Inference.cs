using System.Globalization;
using Ai4h.Audit.Inference;
using Microsoft.ML.OnnxRuntime;

namespace Ai4h.Audit.Bench;

/// <summary>
/// Runner inference throughput: BatchScorer against a bare ONNX Runtime loop on the same model, data, batch size and
/// session options, timed in back-to-back pairs so that both see the same machine load.
/// </summary>
public static class Inference
{
    private const int Features = 30;
    private const int BatchSize = 1024;
    private const double Goal = 0.95;

    public static Figure Run(int rows, int repetitions)
    {
        var model = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "wdbc-logreg.onnx"));
        var features = TiledWdbc(rows);
        var scorerOut = new float[rows * 2];
        var bareOut = new float[rows * 2];

        using var scorer = new BatchScorer(model, "features", "probabilities", Features, BatchSize);
        using var bare = new BareLoop(model);

        void Scorer() => scorer.Score(features, rows, scorerOut);
        void Bare() => bare.Score(features, rows, bareOut);

        Scorer();
        Bare();
        var scorerTimes = new double[repetitions];
        var bareTimes = new double[repetitions];
        var pairRatios = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            // Alternate which goes first, so that neither always runs right after the other's garbage or cache state.
            if (i % 2 == 0) { scorerTimes[i] = Timings.Once(Scorer); bareTimes[i] = Timings.Once(Bare); }
            else { bareTimes[i] = Timings.Once(Bare); scorerTimes[i] = Timings.Once(Scorer); }
            pairRatios[i] = bareTimes[i] / scorerTimes[i];
        }
        // Both must have computed the same thing, or the comparison means nothing.
        for (var i = 0; i < scorerOut.Length; i++)
            if (Math.Abs(scorerOut[i] - bareOut[i]) > 1e-6) throw new InvalidOperationException($"outputs differ at {i}");

        var scorerRate = rows / new Timings(scorerTimes).Median;
        var bareRate = rows / new Timings(bareTimes).Median;
        // The median of the ratios of back-to-back pairs: a change in machine load between pairs cancels out.
        var ratio = Timings.MedianOf(pairRatios);
        return new Figure(
            $"Runner inference, WDBC model, {rows:N0} rows, batch {BatchSize}",
            "BatchScorer ≥ 95 % of bare ONNX Runtime rows/s",
            $"BatchScorer {Rate(scorerRate)}, bare {Rate(bareRate)} (medians of {repetitions} pairs)",
            $"{ratio:P1}",
            ratio >= Goal);
    }

    private static string Rate(double rowsPerSecond) => $"{rowsPerSecond / 1e6:F2} M rows/s";

    /// <summary>The 569 real WDBC cases repeated until there are <paramref name="rows"/>.</summary>
    private static float[] TiledWdbc(int rows)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "wdbc.csv")).Skip(1).ToArray();
        var real = new float[lines.Length * Features];
        for (var i = 0; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            for (var j = 0; j < Features; j++)
                real[i * Features + j] = float.Parse(cells[j + 1], NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        var tiled = new float[rows * Features];
        for (var offset = 0; offset < tiled.Length; offset += real.Length)
            Array.Copy(real, 0, tiled, offset, Math.Min(real.Length, tiled.Length - offset));
        return tiled;
    }

    /// <summary>
    /// The plain way to use ONNX Runtime's OrtValue API: an input tensor over each batch, Run, read the output that
    /// ONNX Runtime allocated back into the caller's array. Session options as BatchScorer's defaults.
    /// </summary>
    private sealed class BareLoop : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly string[] _inputs = ["features"];
        private readonly string[] _outputs = ["probabilities"];

        public BareLoop(byte[] model)
        {
            using var options = new SessionOptions { IntraOpNumThreads = 0, InterOpNumThreads = 1 };
            options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
            _session = new InferenceSession(model, options);
        }

        public void Score(float[] features, int rows, float[] outputs)
        {
            using var runOptions = new RunOptions();
            for (var start = 0; start < rows; start += BatchSize)
            {
                var n = Math.Min(BatchSize, rows - start);
                using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                    features.AsMemory(start * Features, n * Features), [n, Features]);
                using var results = _session.Run(runOptions, _inputs, [input], _outputs);
                results[0].GetTensorDataAsSpan<float>().CopyTo(outputs.AsSpan(start * 2, n * 2));
            }
        }

        public void Dispose() => _session.Dispose();
    }
}
