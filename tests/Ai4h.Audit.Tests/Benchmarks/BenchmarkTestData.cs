using System.Globalization;
using System.Net;
using System.Text;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Benchmarks;

/// <summary>A small synthetic test set with every kind of column a benchmark definition can point at.</summary>
public static class BenchmarkTestData
{
    public static byte[] Csv()
    {
        var sb = new StringBuilder("case_id,x1,x2,x_gap,note,sex,age,label,grade,severity\n");
        for (var i = 0; i < 40; i++)
        {
            var x1 = (i * 0.37 % 5).ToString("0.00", CultureInfo.InvariantCulture);
            var gap = i % 10 == 0 ? "" : "1.5";
            sb.Append($"c{i:000},{x1},{i % 7},{gap},n{i},{(i % 2 == 0 ? "F" : "M")},{30 + i * 1.3:0.0},{(i % 3 == 0 ? 1 : 0)},{i % 4},{i * 0.5:0.0}\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static async Task<Guid> UploadAsync(TestUser steward, byte[]? csv = null)
    {
        var created = await (await steward.Http.PostJson("/api/datasets", Datasets.DatasetsApiTests.Registration)).ShouldBe(HttpStatusCode.Created);
        var id = created["datasetId"]!.GetValue<Guid>();
        await (await steward.Http.PostFile($"/api/datasets/{id}/versions", csv ?? Csv())).ShouldBe(HttpStatusCode.Created);
        return id;
    }

    public static Dictionary<string, object?> Binary(Guid datasetId) => new()
    {
        ["name"] = "Malignancy from FNA features",
        ["clinicalTask"] = "Classify a breast mass as malignant or benign from cytology features",
        ["taskType"] = "BinaryClassification",
        ["datasetId"] = datasetId,
        ["datasetVersion"] = 1,
        ["caseIdColumn"] = "case_id",
        ["labelColumn"] = "label",
        ["featureColumns"] = new[] { "x1", "x2" },
        ["subgroupColumns"] = new[] { "sex" },
        ["positiveClass"] = "1",
        ["decisionThreshold"] = 0.5,
        ["metrics"] = new[] { "auroc", "sensitivity", "specificity" },
        ["confidenceInterval"] = new { method = "Bootstrap", level = 0.95, bootstrapReplicates = 2000, seed = 20261124 },
        ["acceptanceCriteria"] = new object[]
        {
            new { metric = "auroc", bound = "LowerBound", comparison = "AtLeast", threshold = 0.85 },
            new { metric = "sensitivity", bound = "Estimate", comparison = "AtLeast", threshold = 0.9, everySubgroupOf = "sex", minSubgroupCases = 30 },
        },
        ["hideRows"] = false,
        ["reason"] = "First definition",
    };

    public static Dictionary<string, object?> With(this Dictionary<string, object?> definition, string key, object? value) =>
        new(definition) { [key] = value };
}
