using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ai4h.Audit.Domain.Submissions;
using Ai4h.Audit.Inference;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>
/// BatchScorer against the committed models (tests/Ai4h.Audit.Tests/Models, data/models/wdbc-logreg): batching
/// never changes a case's score, and broken, slow or numerically failing models behave as the Runner expects.
/// </summary>
public sealed class BatchScorerTests
{
    private static readonly string Models = Path.Combine(AppContext.BaseDirectory, "Models");
    private static readonly byte[] Wdbc = File.ReadAllBytes(Path.Combine(Models, "wdbc-logreg", "model.onnx"));
    private static readonly (float[] Features, int Rows) WdbcCases = ReadFeatures(Path.Combine(AppContext.BaseDirectory, "Data", "wdbc.csv"), 30);

    private static byte[] TestModel(string file) => File.ReadAllBytes(Path.Combine(Models, file));

    /// <summary>The feature columns of a case table (case_id first, then the features), row-major.</summary>
    private static (float[] Features, int Rows) ReadFeatures(string csv, int featureCount)
    {
        var lines = File.ReadAllLines(csv).Skip(1).ToArray();
        var features = new float[lines.Length * featureCount];
        for (var i = 0; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            for (var j = 0; j < featureCount; j++)
                features[i * featureCount + j] = float.Parse(cells[j + 1], NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return (features, lines.Length);
    }

    private static float[] Score(BatchScorer scorer, float[] features, int rows)
    {
        var outputs = new float[rows * scorer.OutputWidth];
        scorer.Score(features, rows, outputs);
        return outputs;
    }

    /// <summary>The plainest use of ONNX Runtime: the whole table as one tensor, default session options.</summary>
    private static float[] ScoreWholeTableAtOnce(byte[] model, float[] features, int rows, int featureCount)
    {
        using var session = new InferenceSession(model);
        var input = NamedOnnxValue.CreateFromTensor("features", new DenseTensor<float>(features, [rows, featureCount]));
        using var results = session.Run([input]);
        return results.First().AsTensor<float>().ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void the_batch_size_does_not_change_any_score(int batchSize)
    {
        var (features, rows) = WdbcCases;
        var expected = ScoreWholeTableAtOnce(Wdbc, features, rows, 30);

        using var scorer = new BatchScorer(Wdbc, "features", "probabilities", 30, batchSize);
        scorer.OutputWidth.ShouldBe(2);
        var scores = Score(scorer, features, rows);

        scores.Length.ShouldBe(rows * 2);
        for (var i = 0; i < scores.Length; i++) scores[i].ShouldBe(expected[i], 1e-6, $"value {i} (case {i / 2 + 1})");
    }

    [Fact]
    public void a_model_that_only_runs_on_batches_of_two_passes_the_dry_run_but_fails_when_scored()
    {
        var model = TestModel("fails-at-run-time.onnx");
        ModelInspector.Inspect(model, ModelInspectorTests.Manifest(), 30, 2).DryRunOutputShape.ShouldBe([ModelInspector.DryRunRows, 2]);

        using var scorer = new BatchScorer(model, "features", "probabilities", 30, batchSize: 8);
        var (features, _) = WdbcCases;
        Should.Throw<OnnxRuntimeException>(() => Score(scorer, features, 16));
    }

    [Fact]
    public async Task cancelling_stops_a_slow_model_mid_evaluation()
    {
        using var scorer = new BatchScorer(TestModel("slow.onnx"), "features", "probabilities", 30, batchSize: 8);
        var (features, _) = WdbcCases;
        const int rows = 284;
        var done = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var scoring = Task.Run(() => scorer.Score(features, rows, new float[rows * 2], n => done = n, cts.Token));

        // Scoring all 284 cases takes tens of seconds; the generous bound only keeps a broken cancel from hanging.
        await Should.ThrowAsync<OperationCanceledException>(scoring.WaitAsync(TimeSpan.FromSeconds(60)));
        done.ShouldBeLessThan(rows);
    }

    [Fact]
    public void a_model_that_breaks_numerically_yields_nan_exactly_for_the_affected_cases()
    {
        var (features, rows) = WdbcCases;
        using var scorer = new BatchScorer(TestModel("nan-output.onnx"), "features", "probabilities", 30, batchSize: 64);
        var scores = Score(scorer, features, rows);

        for (var i = 0; i < rows; i++)
        {
            var large = features[i * 30] > 15; // mean_radius
            float.IsNaN(scores[i * 2 + 1]).ShouldBe(large, $"case {i + 1}");
            if (!large) (scores[i * 2] + scores[i * 2 + 1]).ShouldBe(1f, 1e-6);
        }
    }

    [Fact]
    public void the_regression_model_yields_one_value_per_case_and_fits_its_manifest()
    {
        var model = TestModel("diabetes-linreg.onnx");
        ModelInspector.Inspect(model, Manifest("diabetes-linreg.manifest.json"), 10, null).OutputShape.ShouldBe([-1, 1]);

        var (features, rows) = ReadFeatures(Path.Combine(Models, "diabetes.csv"), 10);
        rows.ShouldBe(442);
        using var scorer = new BatchScorer(model, "features", "progression", 10, batchSize: 100);
        scorer.OutputWidth.ShouldBe(1);
        Score(scorer, features, rows).ShouldAllBe(v => float.IsFinite(v));
    }

    [Fact]
    public void the_multiclass_model_yields_three_probabilities_per_case_and_fits_its_manifest()
    {
        var model = TestModel("wine-logreg.onnx");
        ModelInspector.Inspect(model, Manifest("wine-logreg.manifest.json"), 13, 3).OutputShape.ShouldBe([-1, 3]);

        var (features, rows) = ReadFeatures(Path.Combine(Models, "wine.csv"), 13);
        rows.ShouldBe(178);
        using var scorer = new BatchScorer(model, "features", "probabilities", 13, batchSize: 50);
        scorer.OutputWidth.ShouldBe(3);
        var scores = Score(scorer, features, rows);
        for (var i = 0; i < rows; i++) scores.AsSpan(i * 3, 3).ToArray().Sum().ShouldBe(1f, 1e-5);
    }

    private static ModelManifest Manifest(string file)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(Path.Combine(Models, file)), options)!;
        return manifest with { BenchmarkId = Guid.NewGuid() };
    }
}
