using System.Net;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Benchmarks;
using Ai4h.Audit.Tests.Evaluations;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Dossiers;

/// <summary>
/// Hold-out data whose reference standard comes from an annotation campaign: two readers label every case, disagree
/// on the first, an arbiter adjudicates it, and closing the campaign writes version 2 of the data set with a
/// <c>reference_label</c> column.
/// </summary>
public sealed record ReferenceStandardData(Guid DatasetId, string CampaignUrl, IReadOnlyList<(string Case, string Label)> Truth)
{
    /// <summary>
    /// A binary benchmark on the reference standard (version 2, label <c>reference_label</c>), subgroups by nuclear size,
    /// accepted on the AUROC's lower bound.
    /// </summary>
    public Dictionary<string, object?> Benchmark() => BenchmarkTestData.Binary(DatasetId)
        .With("datasetVersion", 2).With("caseIdColumn", "case_id").With("labelColumn", "reference_label")
        .With("featureColumns", EvaluationTestData.Features).With("subgroupColumns", new[] { "nuclear_size" })
        .With("acceptanceCriteria", new object[] { new { metric = "auroc", bound = "LowerBound", comparison = "AtLeast", threshold = 0.5 } });

    public static async Task<ReferenceStandardData> CreateAsync(ApiFixture fixture, TestUser steward, int cases = 20)
    {
        var csv = EvaluationTestData.HoldOutCsv(cases);
        var datasetId = await BenchmarkTestData.UploadAsync(steward, csv);
        await EvaluationTestData.WaitFor(steward, $"/api/datasets/{datasetId}/versions/1", v => v["verification"]!.GetValue<string>() != "Pending");
        var rows = Domain.Datasets.CsvProfiler.ReadRows(csv);
        rows[0][^2].ShouldBe("diagnosis");
        var truth = rows.Skip(1).Select(r => (Case: r[0], Label: r[^2])).ToList();
        var a = await fixture.CreateUserAsync("reader.a", Role.Annotator);
        var b = await fixture.CreateUserAsync("reader.b", Role.Annotator);
        var arbiter = await fixture.CreateUserAsync("arbiter", Role.Annotator);
        var campaign = (await (await steward.Http.PostJson("/api/campaigns", new
        {
            name = "Diagnosis reads", datasetId, datasetVersion = 1, caseIdColumn = "case_id", classes = new[] { "0", "1" },
            annotators = new[] { a.UserId, b.UserId }, readersPerCase = 2, arbitrator = arbiter.UserId, referenceColumn = "reference_label",
        })).ShouldBe(HttpStatusCode.Created))["url"]!.GetValue<string>();
        foreach (var (caseId, label) in truth)
        {
            await (await a.Http.PostJson($"{campaign}/labels", new { caseId, value = label })).ShouldBe(HttpStatusCode.Created);
            var other = caseId == truth[0].Case ? (label == "1" ? "0" : "1") : label;
            await (await b.Http.PostJson($"{campaign}/labels", new { caseId, value = other })).ShouldBe(HttpStatusCode.Created);
        }
        await (await arbiter.Http.PostJson($"{campaign}/adjudications", new { caseId = truth[0].Case, value = truth[0].Label })).ShouldBe(HttpStatusCode.Created);
        (await (await steward.Http.PostJson($"{campaign}/close", new { reason = "all cases read" })).ShouldBe(HttpStatusCode.OK))["referenceVersion"]!.GetValue<int>().ShouldBe(2);
        // The Runner's verdict on the new version lands on the data set's stream: wait for it, so it cannot change a dossier between two reads.
        await EvaluationTestData.WaitFor(steward, $"/api/datasets/{datasetId}/versions/2", v => v["verification"]!.GetValue<string>() != "Pending");
        return new ReferenceStandardData(datasetId, campaign, truth);
    }
}
