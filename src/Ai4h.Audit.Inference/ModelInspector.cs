using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Ai4h.Audit.Inference;

/// <summary>
/// Checks an uploaded ONNX model with ONNX Runtime itself: it loads; the manifest's tensors exist with fitting
/// element types and shapes; the feature count matches the benchmark; a dry run on a batch of zeros succeeds and
/// yields the declared output. Each failure names the manifest field and what does not match.
/// </summary>
public static class ModelInspector
{
    public const int DryRunRows = 2;

    /// <summary>
    /// The largest fixed batch a model may declare. The dry run and the Runner feed whole batches, so a model claiming
    /// a batch of two billion would otherwise make the server allocate (or overflow computing) that many rows.
    /// </summary>
    public const int MaxFixedBatch = 4096;

    public static string RuntimeVersion => OrtEnv.Instance().GetVersionString();

    public static ModelSignature Inspect(byte[] model, ModelManifest manifest, int featureCount, int? classCount)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC;
        InferenceSession session;
        try { session = new InferenceSession(model, options); }
        catch (OnnxRuntimeException e) { throw DecisionRejected.Invalid("model", $"ONNX Runtime cannot load the file: {FirstLine(e.Message)}"); }

        using (session)
        {
            var inputs = session.InputMetadata;
            if (!inputs.TryGetValue(manifest.InputTensor, out var input))
                throw DecisionRejected.Invalid("inputTensor", $"the model has no input '{manifest.InputTensor}'; its inputs are {string.Join(", ", inputs.Keys)}");
            if (inputs.Count > 1)
                throw DecisionRejected.Invalid("inputTensor", $"the model takes {inputs.Count} inputs ({string.Join(", ", inputs.Keys)}); one feature tensor is supported");
            if (!input.IsTensor || input.ElementType != typeof(float))
                throw DecisionRejected.Invalid("inputTensor", $"input '{manifest.InputTensor}' must be a float32 tensor; it is {Describe(input)}");
            var inShape = input.Dimensions;
            if (inShape.Length != 2 || inShape[1] != featureCount || inShape[0] is not (-1 or > 0))
                throw DecisionRejected.Invalid("inputTensor", $"input '{manifest.InputTensor}' has shape {Shape(inShape)}; the benchmark needs [N, {featureCount}]");
            if (inShape[0] > MaxFixedBatch)
                throw DecisionRejected.Invalid("inputTensor", $"input '{manifest.InputTensor}' declares a fixed batch of {inShape[0]} cases; declare the batch dimension as symbolic (N) or at most {MaxFixedBatch}");
            if (manifest.FeatureColumns.Count != featureCount)
                throw DecisionRejected.Invalid("featureColumns", $"the manifest lists {manifest.FeatureColumns.Count} features; the benchmark has {featureCount}");

            if (!session.OutputMetadata.TryGetValue(manifest.OutputTensor, out var output))
                throw DecisionRejected.Invalid("outputTensor", $"the model has no output '{manifest.OutputTensor}'; its outputs are {string.Join(", ", session.OutputMetadata.Keys)}");
            if (!output.IsTensor || output.ElementType != typeof(float))
                throw DecisionRejected.Invalid("outputTensor", $"output '{manifest.OutputTensor}' must be a float32 tensor; it is {Describe(output)}");
            CheckOutputShape(output.Dimensions, manifest, classCount);

            var batch = inShape[0] > 0 ? inShape[0] : DryRunRows;
            var zeros = new DenseTensor<float>(new float[batch * featureCount], [batch, featureCount]);
            int[] dryShape;
            try
            {
                using var results = session.Run([NamedOnnxValue.CreateFromTensor(manifest.InputTensor, zeros)], [manifest.OutputTensor]);
                dryShape = results.First().AsTensor<float>().Dimensions.ToArray();
            }
            catch (OnnxRuntimeException e) { throw DecisionRejected.Invalid("model", $"the dry run on a batch of zeros failed: {FirstLine(e.Message)}"); }
            CheckOutputShape(dryShape, manifest, classCount, dryRun: true);

            return new ModelSignature(manifest.InputTensor, "float32", inShape.Select(d => (long)d).ToList(),
                manifest.OutputTensor, "float32", output.Dimensions.Select(d => (long)d).ToList(), dryShape.Select(d => (long)d).ToList(), RuntimeVersion);
        }
    }

    private static void CheckOutputShape(int[] shape, ModelManifest manifest, int? classCount, bool dryRun = false)
    {
        var what = dryRun ? "the dry run returned" : $"output '{manifest.OutputTensor}' has";
        if (manifest.OutputKind == OutputKind.RegressionValue)
        {
            if (!(shape.Length == 1 || shape is [_, 1]))
                throw DecisionRejected.Invalid("outputKind", $"{what} shape {Shape(shape)}; a regression value needs [N] or [N, 1]");
            return;
        }
        if (shape.Length != 2 || (shape[1] != -1 && classCount is { } c && shape[1] != c && !(c == 2 && shape[1] == 1)))
            throw DecisionRejected.Invalid("outputTensor", $"{what} shape {Shape(shape)}; the benchmark has {classCount} classes");
        if (classCount == 2 && shape[1] != 1)
        {
            if (manifest.PositiveClassIndex is not { } k || k < 0 || (shape[1] > 0 && k >= shape[1]))
                throw DecisionRejected.Invalid("positiveClassIndex", $"name which output column (0 to {Math.Max(shape[1], 2) - 1}) is the positive class");
        }
    }

    private static string Shape(IEnumerable<int> dims) => "[" + string.Join(", ", dims.Select(d => d < 0 ? "?" : d.ToString())) + "]";

    private static string Describe(NodeMetadata m) => m.IsTensor ? $"a {m.ElementType.Name} tensor" : m.OnnxValueType.ToString();

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
