using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Domain.Submissions;

public static class SubmissionDecisions
{
    public const int MaxText = 200;

    /// <summary>Checks the manifest against the benchmark it targets (the model file itself is checked by ONNX Runtime).</summary>
    public static void CheckManifest(ModelManifest m, BenchmarkDefinition benchmark)
    {
        foreach (var (field, value, max) in new[]
                 {
                     ("modelName", m.ModelName, MaxText), ("modelVersion", m.ModelVersion, 50),
                     ("developerOrganisation", m.DeveloperOrganisation, MaxText), ("intendedUse", m.IntendedUse, 4000),
                     ("inputTensor", m.InputTensor, MaxText), ("outputTensor", m.OutputTensor, MaxText),
                 })
        {
            if (Text.IsBlank(value) || value.Length > max) throw DecisionRejected.Invalid(field, $"must be 1 to {max} characters");
            if ((field == "intendedUse" ? Text.StorageProblem(value) : Text.NameProblem(value)) is { } problem) throw DecisionRejected.Invalid(field, problem);
        }

        if (m.FeatureColumns is null || !m.FeatureColumns.SequenceEqual(benchmark.FeatureColumns))
            throw DecisionRejected.Invalid("featureColumns",
                $"must be exactly the benchmark's feature columns, in its order: {string.Join(", ", benchmark.FeatureColumns)}");

        var kindFits = benchmark.TaskType == TaskType.Regression
            ? m.OutputKind == OutputKind.RegressionValue
            : m.OutputKind != OutputKind.RegressionValue;
        if (!kindFits) throw DecisionRejected.Invalid("outputKind", $"'{m.OutputKind}' does not fit a {benchmark.TaskType} benchmark");
        if (benchmark.TaskType != TaskType.BinaryClassification && m.PositiveClassIndex is not null)
            throw DecisionRejected.Invalid("positiveClassIndex", "applies to binary tasks only");
    }

    /// <summary>How many classes the output should have, when the benchmark fixes it (binary: 2).</summary>
    public static int? ClassCount(BenchmarkDefinition benchmark) =>
        benchmark.TaskType == TaskType.BinaryClassification ? 2 : null;

    /// <summary>A new version must follow the developer's own earlier submission of the same model.</summary>
    public static void CheckPrevious(Submission? previous, Guid previousId, Guid developerId, ModelManifest manifest)
    {
        if (previous is null) throw DecisionRejected.Invalid("previousSubmissionId", $"submission {previousId} does not exist");
        if (previous.DeveloperId != developerId) throw DecisionRejected.Invalid("previousSubmissionId", "a new version must follow one of your own submissions");
        if (previous.Manifest.ModelName != manifest.ModelName)
            throw DecisionRejected.Invalid("previousSubmissionId", $"the previous submission is model '{previous.Manifest.ModelName}', not '{manifest.ModelName}'");
        if (previous.Manifest.ModelVersion == manifest.ModelVersion)
            throw DecisionRejected.Invalid("modelVersion", $"version '{manifest.ModelVersion}' was submitted already; give the new version a new number");
    }
}
