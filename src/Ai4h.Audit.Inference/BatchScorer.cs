using Microsoft.ML.OnnxRuntime;

namespace Ai4h.Audit.Inference;

/// <summary>
/// Runs an ONNX model over many cases in batches with ONNX Runtime's OrtValue API. Inputs and outputs are tensors
/// laid directly over the caller's arrays (row-major), so the loop copies nothing and allocates nothing per case:
/// only a small OrtValue wrapper per batch. A model whose batch dimension is fixed gets its last batch padded.
/// </summary>
public sealed class BatchScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int _fixedBatch;
    private readonly bool _outputIsVector;

    /// <param name="intraOpThreads">Threads ONNX Runtime may use inside one batch; 0 lets it choose (all cores).</param>
    public BatchScorer(byte[] model, string inputTensor, string outputTensor, int featureCount, int batchSize, int intraOpThreads = 0)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "a batch holds at least one case");
        using var options = new SessionOptions { IntraOpNumThreads = intraOpThreads, InterOpNumThreads = 1 };
        options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
        _session = new InferenceSession(model, options);
        FeatureCount = featureCount;
        _inputNames = [inputTensor];
        _outputNames = [outputTensor];

        var inputDims = _session.InputMetadata[inputTensor].Dimensions;
        _fixedBatch = inputDims[0] > 0 ? inputDims[0] : 0;
        BatchSize = _fixedBatch > 0 ? _fixedBatch : batchSize;

        var outputDims = _session.OutputMetadata[outputTensor].Dimensions;
        _outputIsVector = outputDims.Length == 1;
        OutputWidth = _outputIsVector ? 1 : outputDims[1] > 0 ? outputDims[1] : MeasureOutputWidth();
    }

    public int FeatureCount { get; }

    /// <summary>Values per case in the output (classes, or 1 for a score or a regression value).</summary>
    public int OutputWidth { get; }

    /// <summary>Cases per call to ONNX Runtime.</summary>
    public int BatchSize { get; }

    /// <summary>
    /// Scores <paramref name="rows"/> cases. <paramref name="features"/> holds rows × <see cref="FeatureCount"/> values
    /// and <paramref name="outputs"/> receives rows × <see cref="OutputWidth"/>. After each batch
    /// <paramref name="afterBatch"/> is told how many cases are done. Cancelling stops ONNX Runtime mid-batch.
    /// </summary>
    public void Score(float[] features, int rows, float[] outputs, Action<int>? afterBatch = null, CancellationToken ct = default)
    {
        if (features.Length < (long)rows * FeatureCount) throw new ArgumentException("fewer feature values than rows × features", nameof(features));
        if (outputs.Length < (long)rows * OutputWidth) throw new ArgumentException("the output array is too small", nameof(outputs));

        using var runOptions = new RunOptions();
        // ONNX Runtime checks this flag between kernels, so a hung or very slow model can be stopped mid-run.
        using var stop = ct.Register(() => runOptions.Terminate = true);
        float[]? paddedIn = null, paddedOut = null;

        for (var start = 0; start < rows; start += BatchSize)
        {
            ct.ThrowIfCancellationRequested();
            var n = Math.Min(BatchSize, rows - start);
            if (_fixedBatch > 0 && n < _fixedBatch)
            {
                // The model only accepts full batches: pad with zeros, keep the real rows' outputs.
                paddedIn ??= new float[_fixedBatch * FeatureCount];
                paddedOut ??= new float[_fixedBatch * OutputWidth];
                Array.Clear(paddedIn);
                Array.Copy(features, start * FeatureCount, paddedIn, 0, n * FeatureCount);
                RunBatch(runOptions, paddedIn.AsMemory(), paddedOut.AsMemory(), _fixedBatch, ct);
                Array.Copy(paddedOut, 0, outputs, start * OutputWidth, n * OutputWidth);
            }
            else
            {
                RunBatch(runOptions, features.AsMemory(start * FeatureCount, n * FeatureCount),
                    outputs.AsMemory(start * OutputWidth, n * OutputWidth), n, ct);
            }
            afterBatch?.Invoke(start + n);
        }
    }

    private void RunBatch(RunOptions runOptions, Memory<float> input, Memory<float> output, int n, CancellationToken ct)
    {
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, [n, FeatureCount]);
        long[] outputShape = _outputIsVector ? [n] : [n, OutputWidth];
        using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output, outputShape);
        try
        {
            _session.Run(runOptions, _inputNames, [inputValue], _outputNames, [outputValue]);
        }
        catch (OnnxRuntimeException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("the model run was stopped", ct);
        }
    }

    /// <summary>The output's class dimension is symbolic: run one case of zeros to see how wide it is.</summary>
    private int MeasureOutputWidth()
    {
        var rows = _fixedBatch > 0 ? _fixedBatch : 1;
        using var input = OrtValue.CreateTensorValueFromMemory(new float[rows * FeatureCount], [rows, FeatureCount]);
        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, _inputNames, [input], _outputNames);
        var shape = results.First().GetTensorTypeAndShape().Shape;
        return shape.Length == 1 ? 1 : (int)shape[1];
    }

    public void Dispose() => _session.Dispose();
}
