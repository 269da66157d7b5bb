using System.Net;
using System.Text;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Benchmarks;

/// <summary>Test labels are sequestered: developers see the definition, never the labels; every read is counted.</summary>
public sealed class SequestrationTests(ApiFixture fixture) : ApiTest(fixture)
{
    private Guid _datasetId;
    private TestUser _developer = null!;
    private TestUser _auditor = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _datasetId = await BenchmarkTestData.UploadAsync(Steward);
        _developer = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        _auditor = await Fixture.CreateUserAsync("auditor", Role.Auditor);
    }

    private async Task<Guid> Define(bool hideRows)
    {
        var created = await (await Steward.Http.PostJson("/api/benchmarks", BenchmarkTestData.Binary(_datasetId).With("hideRows", hideRows)))
            .ShouldBe(HttpStatusCode.Created);
        return created["benchmarkId"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task a_developer_reads_the_definition_but_is_refused_the_labels_and_the_attempt_is_recorded()
    {
        var id = await Define(hideRows: false);
        var definition = await (await _developer.Http.GetAsync($"/api/benchmarks/{id}")).ShouldBe(HttpStatusCode.OK);
        definition["definition"]!["featureColumns"]!.AsArray().Count.ShouldBe(2);

        await (await _developer.Http.GetAsync($"/api/benchmarks/{id}/versions/1/test-data?purpose=curious")).ShouldBeProblem(HttpStatusCode.Forbidden);

        var admin = await Fixture.CreateUserAsync("root", Role.Administrator);
        var history = (await (await admin.Http.GetAsync($"/api/users/{_developer.UserId}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        history.Last()!["type"]!.GetValue<string>().ShouldBe("access_refused");
        history.Last()!["data"]!["path"]!.GetValue<string>().ShouldBe($"/api/benchmarks/{id}/versions/1/test-data");
        var usage = await (await _auditor.Http.GetAsync($"/api/benchmarks/{id}/usage")).ShouldBe(HttpStatusCode.OK);
        usage["totalReads"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task a_developer_reads_the_input_schema_in_model_order_without_any_values()
    {
        var id = await Define(hideRows: true);
        var schema = (await (await _developer.Http.GetAsync($"/api/benchmarks/{id}/versions/1/schema")).ShouldBe(HttpStatusCode.OK)).AsArray();
        schema.Select(c => $"{c!["part"]}:{c["name"]}:{c["type"]}").ShouldBe(
            ["caseId:case_id:Text", "feature:x1:Number", "feature:x2:Integer", "subgroup:sex:Text", "label:label:Integer"]);
    }

    [Fact]
    public async Task a_developer_may_read_cases_without_labels_when_rows_are_not_hidden()
    {
        var id = await Define(hideRows: false);
        var response = await _developer.Http.GetAsync($"/api/benchmarks/{id}/versions/1/cases?purpose=check%20input%20format");
        await response.ShouldBe(HttpStatusCode.OK);
        var csv = await response.Content.ReadAsStringAsync();

        var header = csv.Split('\n')[0].Split(',');
        header.ShouldNotContain("label");
        header.ShouldContain("x1");
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(41);
    }

    [Fact]
    public async Task when_the_whole_test_set_is_hidden_a_developer_gets_no_rows_and_the_attempt_is_recorded()
    {
        var id = await Define(hideRows: true);
        await (await _developer.Http.GetAsync($"/api/benchmarks/{id}/versions/1/cases?purpose=x")).ShouldBeProblem(HttpStatusCode.Forbidden);

        var admin = await Fixture.CreateUserAsync("root", Role.Administrator);
        var history = (await (await admin.Http.GetAsync($"/api/users/{_developer.UserId}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        history.Last()!["type"]!.GetValue<string>().ShouldBe("access_refused");
        var usage = await (await _auditor.Http.GetAsync($"/api/benchmarks/{id}/usage")).ShouldBe(HttpStatusCode.OK);
        usage["totalReads"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task an_auditor_reads_the_labels_and_the_read_is_recorded_with_its_purpose()
    {
        var id = await Define(hideRows: true);

        var response = await _auditor.Http.GetAsync($"/api/benchmarks/{id}/versions/1/test-data?purpose=Audit%20item%20C3");
        await response.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(BenchmarkTestData.Csv());

        var history = (await (await _auditor.Http.GetAsync($"/api/benchmarks/{id}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        var read = history.Last()!;
        read["type"]!.GetValue<string>().ShouldBe("sequestered_data_read");
        read["actor"]!.GetValue<string>().ShouldBe("auditor");
        read["data"]!["purpose"]!.GetValue<string>().ShouldBe("Audit item C3");
        read["data"]!["content"]!.GetValue<string>().ShouldBe("FullTestSet");
        read["data"]!["datasetVersion"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task reading_without_a_purpose_is_refused_and_not_served()
    {
        var id = await Define(hideRows: false);
        var problem = await (await _auditor.Http.GetAsync($"/api/benchmarks/{id}/versions/1/test-data")).ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]!["purpose"].ShouldNotBeNull();
    }

    [Fact]
    public async Task usage_counts_every_read_by_reader_and_kind()
    {
        var id = await Define(hideRows: false);
        for (var i = 0; i < 2; i++)
            await (await _auditor.Http.GetAsync($"/api/benchmarks/{id}/versions/1/test-data?purpose=p{i}")).ShouldBe(HttpStatusCode.OK);
        await (await Steward.Http.GetAsync($"/api/benchmarks/{id}/versions/1/test-data?purpose=qa")).ShouldBe(HttpStatusCode.OK);
        await (await _developer.Http.GetAsync($"/api/benchmarks/{id}/versions/1/cases?purpose=format")).ShouldBe(HttpStatusCode.OK);

        var usage = await (await _auditor.Http.GetAsync($"/api/benchmarks/{id}/usage")).ShouldBe(HttpStatusCode.OK);
        usage["totalReads"]!.GetValue<int>().ShouldBe(4);
        usage["labelReads"]!.GetValue<int>().ShouldBe(3);
        var readers = usage["readers"]!.AsArray();
        readers.Single(r => r!["readerId"]!.GetValue<Guid>() == _auditor.UserId)!["reads"]!.GetValue<int>().ShouldBe(2);
        readers.Single(r => r!["readerId"]!.GetValue<Guid>() == _developer.UserId)!["content"]!.GetValue<string>().ShouldBe("CasesWithoutLabels");
        await (await _developer.Http.GetAsync($"/api/benchmarks/{id}/usage")).ShouldBeProblem(HttpStatusCode.Forbidden);
    }
}
