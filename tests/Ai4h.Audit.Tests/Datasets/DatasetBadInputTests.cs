using System.Net;
using System.Text;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Datasets;

/// <summary>Every bad input gets a 4xx problem detail naming what is wrong, and nothing already recorded changes.</summary>
public sealed class DatasetBadInputTests(ApiFixture fixture) : ApiTest(fixture)
{
    private Guid _datasetId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var body = await (await Steward.Http.PostJson("/api/datasets", DatasetsApiTests.Registration)).ShouldBe(HttpStatusCode.Created);
        _datasetId = body["datasetId"]!.GetValue<Guid>();
        await (await Steward.Http.PostFile($"/api/datasets/{_datasetId}/versions", Encoding.UTF8.GetBytes(DatasetsApiTests.Csv)))
            .ShouldBe(HttpStatusCode.Created);
    }

    public static TheoryData<string, byte[], string> BadFiles() => new()
    {
        { "empty file", [], "empty" },
        { "only a byte-order mark", [0xEF, 0xBB, 0xBF], "empty" },
        { "whitespace only", "\n\n  \n"u8.ToArray(), "empty" },
        { "header without rows", "a,b,c\n"u8.ToArray(), "no data rows" },
        { "ragged row", "a,b,c\n1,2,3\n4,5\n"u8.ToArray(), "row 2 (line 3) has 2 fields but the header has 3" },
        { "row with too many fields", "a,b\n1,2,3\n"u8.ToArray(), "row 1 (line 2) has 3 fields" },
        { "duplicate column", "id,x,x\n1,2,3\n"u8.ToArray(), "'x' appears more than once" },
        { "duplicate column differing in case", "id,Age,age\n1,2,3\n"u8.ToArray(), "appears more than once" },
        { "empty column name", "id,,y\n1,2,3\n"u8.ToArray(), "column 2 has no name" },
        { "semicolon delimited", "id;age;label\n1;2;3\n"u8.ToArray(), "only comma-separated" },
        { "tab delimited", "id\tage\n1\t2\n"u8.ToArray(), "only comma-separated" },
        { "binary (PNG header)", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00], "not UTF-8" },
        { "NUL characters", "a,b\n1,\0\n"u8.ToArray(), "NUL" },
        { "latin-1, not UTF-8", Encoding.Latin1.GetBytes("name,city\nJosé,Montréal\n"), "not UTF-8" },
        { "unclosed quote", "a,b\n1,\"open\n"u8.ToArray(), "never closed" },
        { "stray quote", "a,b\n1,ab\"c\n"u8.ToArray(), "quote inside an unquoted field" },
        { "text after a closing quote", "a,b\n1,\"x\"y\n"u8.ToArray(), "after the closing quote" },
        { "blank line inside the table", "a,b\n1,2\n\n3,4\n"u8.ToArray(), "blank in the middle" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task a_bad_file_is_refused_with_the_rule_it_breaks(string because, byte[] bytes, string expected)
    {
        var before = await Fixture.EventCountAsync();

        var problem = await (await Steward.Http.PostFile($"/api/datasets/{_datasetId}/versions", bytes))
            .ShouldBeProblem(HttpStatusCode.BadRequest);

        problem["detail"]!.GetValue<string>().ShouldContain(expected, Case.Insensitive, because);
        problem["errors"]!["file"].ShouldNotBeNull(because);
        (await Fixture.EventCountAsync()).ShouldBe(before, because);
        await VersionsUnchanged();
    }

    [Fact]
    public async Task an_upload_over_the_size_limit_is_refused_with_413()
    {
        var before = await Fixture.EventCountAsync();
        var big = Encoding.UTF8.GetBytes("a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", (int)(ApiFixture.MaxUploadBytes / 4) + 10)));

        var response = await Steward.Http.PostFile($"/api/datasets/{_datasetId}/versions", big);

        var problem = await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        problem["errors"]!["file"].ShouldNotBeNull();
        (await Fixture.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task a_request_without_a_file_field_is_refused()
    {
        var form = new MultipartFormDataContent { { new StringContent("x"), "reason" } };
        var problem = await (await Steward.Http.PostAsync($"/api/datasets/{_datasetId}/versions", form)).ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["detail"]!.GetValue<string>().ShouldContain("'file' is missing");
    }

    [Fact]
    public async Task a_json_body_instead_of_a_file_is_refused()
    {
        var problem = await (await Steward.Http.PostRaw($"/api/datasets/{_datasetId}/versions", "{}")).ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["detail"]!.GetValue<string>().ShouldContain("multipart/form-data");
    }

    [Fact]
    public async Task a_malformed_expected_version_is_refused_naming_the_field()
    {
        var problem = await (await Steward.Http.PostFile($"/api/datasets/{_datasetId}/versions", Encoding.UTF8.GetBytes(DatasetsApiTests.Csv),
            fields: new Dictionary<string, string> { ["expectedVersion"] = "two" })).ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]!["expectedVersion"].ShouldNotBeNull();
    }

    [Fact]
    public async Task a_path_in_the_file_name_is_not_recorded()
    {
        var created = await (await Steward.Http.PostFile($"/api/datasets/{_datasetId}/versions",
            Encoding.UTF8.GetBytes(DatasetsApiTests.Csv), "../../etc/passwd.csv")).ShouldBe(HttpStatusCode.Created);
        var version = await (await Steward.Http.GetAsync(created["url"]!.GetValue<string>())).ShouldBe(HttpStatusCode.OK);
        version["fileName"]!.GetValue<string>().ShouldBe("passwd.csv");
    }

    [Fact]
    public async Task uploading_to_an_unknown_dataset_is_404()
    {
        var before = await Fixture.EventCountAsync();
        await (await Steward.Http.PostFile($"/api/datasets/{Guid.NewGuid()}/versions", Encoding.UTF8.GetBytes(DatasetsApiTests.Csv)))
            .ShouldBeProblem(HttpStatusCode.NotFound);
        (await Fixture.EventCountAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData("/api/datasets/{0}")]
    [InlineData("/api/datasets/{0}/versions")]
    [InlineData("/api/datasets/{0}/versions/1")]
    [InlineData("/api/datasets/{0}/history")]
    public async Task reading_an_unknown_dataset_is_404(string url)
    {
        await (await Steward.Http.GetAsync(string.Format(url, Guid.NewGuid()))).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task reading_a_version_that_does_not_exist_is_404()
    {
        await (await Steward.Http.GetAsync($"/api/datasets/{_datasetId}/versions/9")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_registration_with_missing_fields_names_every_missing_field()
    {
        var before = await Fixture.EventCountAsync();
        var problem = await (await Steward.Http.PostJson("/api/datasets", new { name = "x", description = "" }))
            .ShouldBeProblem(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject().Select(kv => kv.Key).ToList();
        errors.ShouldBe(["description", "owner", "intendedUse", "licence", "modality", "task"], ignoreOrder: true);
        (await Fixture.EventCountAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"name\": 42, \"description\": true}")]
    [InlineData("not json at all")]
    public async Task malformed_json_is_a_400_problem(string json)
    {
        var before = await Fixture.EventCountAsync();
        await (await Steward.Http.PostRaw("/api/datasets", json)).ShouldBeProblem(HttpStatusCode.BadRequest);
        (await Fixture.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task an_overlong_name_is_refused()
    {
        var problem = await (await Steward.Http.PostJson("/api/datasets", new
        {
            name = new string('n', 201), description = "d", owner = "o", intendedUse = "u", licence = "l", modality = "m", task = "t",
        })).ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]!["name"].ShouldNotBeNull();
    }

    private async Task VersionsUnchanged()
    {
        var versions = (await (await Steward.Http.GetAsync($"/api/datasets/{_datasetId}/versions")).ShouldBe(HttpStatusCode.OK)).AsArray();
        versions.Count.ShouldBe(1);
    }
}
