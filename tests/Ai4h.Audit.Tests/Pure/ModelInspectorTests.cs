using System.Text.Json;
using System.Text.Json.Serialization;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Ai4h.Audit.Inference;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>ONNX Runtime itself checks an uploaded model against its manifest (the committed WDBC model).</summary>
public sealed class ModelInspectorTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Models", "wdbc-logreg");
    private static readonly byte[] Model = File.ReadAllBytes(Path.Combine(Folder, "model.onnx"));

    internal static ModelManifest Manifest(Guid? benchmarkId = null)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(Path.Combine(Folder, "manifest.json")), options)!;
        return manifest with { BenchmarkId = benchmarkId ?? Guid.NewGuid() };
    }

    [Fact]
    public void the_demo_model_fits_its_manifest()
    {
        var signature = ModelInspector.Inspect(Model, Manifest(), 30, 2);
        signature.InputShape.ShouldBe([-1, 30]);
        signature.OutputShape.ShouldBe([-1, 2]);
        signature.DryRunOutputShape.ShouldBe([ModelInspector.DryRunRows, 2]);
        signature.OnnxRuntimeVersion.ShouldStartWith("1.");
    }

    public static TheoryData<string, Func<ModelManifest, ModelManifest>, int, string, string> Mismatches() => new()
    {
        { "unknown input", m => m with { InputTensor = "x" }, 30, "inputTensor", "no input 'x'; its inputs are features" },
        { "unknown output", m => m with { OutputTensor = "y" }, 30, "outputTensor", "no output 'y'" },
        { "benchmark has other feature count", m => m, 29, "inputTensor", "the benchmark needs [N, 29]" },
        { "manifest lists too few features", m => m with { FeatureColumns = m.FeatureColumns.Take(29).ToList() }, 30, "featureColumns", "lists 29 features" },
        { "no positive class index", m => m with { PositiveClassIndex = null }, 30, "positiveClassIndex", "which output column" },
        { "positive class index out of range", m => m with { PositiveClassIndex = 2 }, 30, "positiveClassIndex", "0 to 1" },
        { "regression kind for a two-column output", m => m with { OutputKind = OutputKind.RegressionValue }, 30, "outputKind", "[N] or [N, 1]" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void a_manifest_that_does_not_fit_the_model_is_refused_naming_the_field(
        string because, Func<ModelManifest, ModelManifest> change, int featureCount, string field, string rule)
    {
        var error = Should.Throw<DecisionRejected>(() => ModelInspector.Inspect(Model, change(Manifest()), featureCount, 2), because);
        error.Field.ShouldBe(field, because);
        error.Rule.ShouldContain(rule, Case.Sensitive, because);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("empty")]
    public void a_file_onnx_runtime_cannot_load_is_refused(string kind)
    {
        byte[] bytes = kind switch
        {
            "truncated" => Model[..(Model.Length / 2)],
            "garbage" => "this is not an onnx model"u8.ToArray(),
            _ => [],
        };
        Should.Throw<DecisionRejected>(() => ModelInspector.Inspect(bytes, Manifest(), 30, 2)).Field.ShouldBe("model");
    }
}
