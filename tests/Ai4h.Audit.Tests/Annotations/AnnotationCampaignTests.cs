using System.Net;
using System.Text;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Tests.Benchmarks;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Annotations;

public sealed class AnnotationCampaignTests(ApiFixture fixture) : ApiTest(fixture)
{
    private Guid _datasetId;
    private TestUser _a = null!, _b = null!, _c = null!, _arbiter = null!, _outsider = null!, _auditor = null!;
    private string _url = "";

    // Three readers label six cases; c3 and c6 are disagreements.
    private static readonly string[][] Plan =
    [
        ["c1", "malignant", "malignant", "malignant"],
        ["c2", "benign", "benign", "benign"],
        ["c3", "malignant", "benign", "malignant"],
        ["c4", "benign", "benign", "benign"],
        ["c5", "malignant", "malignant", "malignant"],
        ["c6", "benign", "malignant", "benign"],
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _datasetId = await BenchmarkTestData.UploadAsync(Steward, Encoding.UTF8.GetBytes("case_id,x\nc1,1\nc2,2\nc3,3\nc4,4\nc5,5\nc6,6\n"));
        // The Runner's verdict on the upload is appended to the data set's stream; let it land, so that closing the campaign
        // (which appends the reference version to the same stream) does not race it into a 409.
        await Evaluations.EvaluationTestData.WaitFor(Steward, $"/api/datasets/{_datasetId}/versions/1", v => v["verification"]!.GetValue<string>() != "Pending");
        _a = await Fixture.CreateUserAsync("reader.a", Role.Annotator);
        _b = await Fixture.CreateUserAsync("reader.b", Role.Annotator);
        _c = await Fixture.CreateUserAsync("reader.c", Role.Annotator);
        _arbiter = await Fixture.CreateUserAsync("arbiter", Role.Annotator);
        _outsider = await Fixture.CreateUserAsync("outsider", Role.Annotator);
        _auditor = await Fixture.CreateUserAsync("auditor", Role.Auditor);
        var opened = await (await Steward.Http.PostJson("/api/campaigns", Campaign())).ShouldBe(HttpStatusCode.Created);
        opened["cases"]!.GetValue<int>().ShouldBe(6);
        _url = opened["url"]!.GetValue<string>();
    }

    private object Campaign(Guid? arbitrator = null, int readers = 3) => new
    {
        name = "Malignancy reads", datasetId = _datasetId, datasetVersion = 1, caseIdColumn = "case_id",
        classes = new[] { "benign", "malignant" }, annotators = new[] { _a.UserId, _b.UserId, _c.UserId },
        readersPerCase = readers, arbitrator = arbitrator ?? _arbiter.UserId, referenceColumn = "reference_label",
    };

    private Task<HttpResponseMessage> Label(TestUser who, string caseId, string value) =>
        who.Http.PostJson($"{_url}/labels", new { caseId, value });

    [Fact]
    public async Task a_three_reader_campaign_yields_fleiss_kappa_adjudications_and_a_reference_standard_version()
    {
        // Reader A first labels c4 wrongly and corrects it; the first label stays on record.
        await (await Label(_a, "c4", "malignant")).ShouldBe(HttpStatusCode.Created);
        await (await _a.Http.PostJson($"{_url}/labels/corrections", new { caseId = "c4", value = "benign", reason = "misclick" })).ShouldBe(HttpStatusCode.Created);
        foreach (var row in Plan)
        {
            if (row[0] != "c4") await (await Label(_a, row[0], row[1])).ShouldBe(HttpStatusCode.Created);
            await (await Label(_b, row[0], row[2])).ShouldBe(HttpStatusCode.Created);
            await (await Label(_c, row[0], row[3])).ShouldBe(HttpStatusCode.Created);
        }

        var view = await (await _auditor.Http.GetAsync(_url)).ShouldBe(HttpStatusCode.OK);
        view["casesComplete"]!.GetValue<int>().ShouldBe(6);
        view["disagreements"]!.GetValue<int>().ShouldBe(2);
        var agreement = view["agreement"]!;
        agreement["statistic"]!.GetValue<string>().ShouldBe("fleiss");
        // By hand (Fleiss 1971): P_i = 1 for four unanimous cases, 1/3 for the two 2-1 splits → P̄ = 7/9;
        // class proportions 9/18 each → P̄e = 1/2; κ = (7/9 − 1/2) / (1/2) = 5/9.
        agreement["kappa"]!.GetValue<double>().ShouldBe(5.0 / 9, 1e-9);
        agreement["perClass"]!.AsArray().ShouldAllBe(k => Math.Abs(k!["kappa"]!.GetValue<double>() - 5.0 / 9) < 1e-9);

        (await (await Steward.Http.PostJson($"{_url}/close", new { })).ShouldBeProblem(HttpStatusCode.Conflict))
            ["detail"]!.GetValue<string>().ShouldContain("2 disagreement(s) await the arbitrator");

        await (await _a.Http.PostJson($"{_url}/adjudications", new { caseId = "c3", value = "benign" })).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await _arbiter.Http.PostJson($"{_url}/adjudications", new { caseId = "c1", value = "benign" })).ShouldBeProblem(HttpStatusCode.Conflict);
        var arbiterView = await (await _arbiter.Http.GetAsync(_url)).ShouldBe(HttpStatusCode.OK);
        arbiterView["caseDetails"]!.AsArray().Select(c => c!["caseId"]!.GetValue<string>()).ShouldBe(["c3", "c6"]);
        await (await _arbiter.Http.PostJson($"{_url}/adjudications", new { caseId = "c3", value = "malignant", rationale = "spiculated margin" })).ShouldBe(HttpStatusCode.Created);
        await (await _arbiter.Http.PostJson($"{_url}/adjudications", new { caseId = "c6", value = "benign" })).ShouldBe(HttpStatusCode.Created);
        await (await _arbiter.Http.PostJson($"{_url}/adjudications", new { caseId = "c6", value = "malignant" })).ShouldBeProblem(HttpStatusCode.Conflict);

        var closed = await (await Steward.Http.PostJson($"{_url}/close", new { reason = "all cases read" })).ShouldBe(HttpStatusCode.OK);
        closed["referenceVersion"]!.GetValue<int>().ShouldBe(2);

        // The reference standard is a new, content-addressed version of the data set.
        await using var session = Fixture.Store.QuerySession();
        var bytes = await BlobStore.ReadAsync(session, closed["sha256"]!.GetValue<string>(), default);
        var rows = CsvProfiler.ReadRows(bytes!);
        rows[0].ShouldBe(["case_id", "x", "reference_label"]);
        rows.Skip(1).Select(r => r[2]).ShouldBe(["malignant", "benign", "malignant", "benign", "malignant", "benign"]);
        var version = await (await Steward.Http.GetAsync($"/api/datasets/{_datasetId}/versions/2")).ShouldBe(HttpStatusCode.OK);
        version["reason"]!.GetValue<string>().ShouldContain("Reference standard from annotation campaign");

        // Its provenance names every label, correction and adjudication event behind each reference label.
        var history = (await (await _auditor.Http.GetAsync($"{_url}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        var closedEvent = history.Last()!;
        closedEvent["type"]!.GetValue<string>().ShouldBe("annotation_campaign_closed");
        var provenance = closedEvent["data"]!["provenance"]!.AsArray();
        var eventIds = history.ToDictionary(e => e!["eventId"]!.GetValue<Guid>(), e => e!["type"]!.GetValue<string>());
        var c4 = provenance.Single(p => p!["caseId"]!.GetValue<string>() == "c4")!;
        c4["eventIds"]!.AsArray().Select(i => eventIds[i!.GetValue<Guid>()]).ShouldBe(
            ["case_labelled", "case_label_corrected", "case_labelled", "case_labelled"]);
        var c3 = provenance.Single(p => p!["caseId"]!.GetValue<string>() == "c3")!;
        c3["basis"]!.GetValue<string>().ShouldBe("adjudicated");
        c3["eventIds"]!.AsArray().Select(i => eventIds[i!.GetValue<Guid>()]).ShouldContain("case_adjudicated");

        await (await Label(_a, "c1", "benign")).ShouldBeProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task annotators_are_blinded_to_each_others_labels()
    {
        await (await Label(_a, "c3", "malignant")).ShouldBe(HttpStatusCode.Created);
        await (await Label(_b, "c3", "benign")).ShouldBe(HttpStatusCode.Created);

        var view = await (await _b.Http.GetAsync(_url)).ShouldBe(HttpStatusCode.OK);
        view["view"]!.GetValue<string>().ShouldBe("annotator");
        view["agreement"].ShouldBeNull();
        var c3 = view["caseDetails"]!.AsArray().Single(c => c!["caseId"]!.GetValue<string>() == "c3")!;
        c3["labels"]!.AsArray().Single()!["value"]!.GetValue<string>().ShouldBe("benign");
        view["caseDetails"]!.AsArray().SelectMany(c => c!["labels"]!.AsArray())
            .ShouldAllBe(l => l!["annotatorId"]!.GetValue<Guid>() == _b.UserId);
        c3["disagreement"]!.GetValue<bool>().ShouldBeFalse(); // not revealed to a reader
    }

    [Fact]
    public async Task labelling_rules_are_enforced_with_403_409_and_400()
    {
        await (await Label(_a, "c1", "benign")).ShouldBe(HttpStatusCode.Created);
        await (await Label(_a, "c1", "malignant")).ShouldBeProblem(HttpStatusCode.Conflict);               // twice
        await (await Label(_outsider, "c1", "benign")).ShouldBeProblem(HttpStatusCode.Forbidden);         // not assigned
        await (await Label(_arbiter, "c1", "benign")).ShouldBeProblem(HttpStatusCode.Forbidden);          // arbitrator is not a reader
        (await (await Label(_b, "c1", "maybe")).ShouldBeProblem(HttpStatusCode.BadRequest))["errors"]!["value"].ShouldNotBeNull();
        await (await Label(_b, "c99", "benign")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _a.Http.PostJson($"{_url}/labels/corrections", new { caseId = "c1", value = "malignant" }))
            .ShouldBeProblem(HttpStatusCode.BadRequest);                                                   // no reason
        await (await _b.Http.PostJson($"{_url}/labels/corrections", new { caseId = "c1", value = "malignant", reason = "r" }))
            .ShouldBeProblem(HttpStatusCode.Conflict);                                                     // nothing to correct
        await (await _arbiter.Http.PostJson($"{_url}/adjudications", new { caseId = "c1", value = "benign" }))
            .ShouldBeProblem(HttpStatusCode.Conflict);                                                     // not fully read

        var admin = await Fixture.CreateUserAsync("root", Role.Administrator);
        var history = (await (await admin.Http.GetAsync($"/api/users/{_outsider.UserId}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        history.Last()!["type"]!.GetValue<string>().ShouldBe("access_refused");
    }

    [Fact]
    public async Task two_fixed_readers_are_measured_with_cohens_kappa()
    {
        var twoReaders = await (await Steward.Http.PostJson("/api/campaigns", new
        {
            name = "Two readers", datasetId = _datasetId, datasetVersion = 1, caseIdColumn = "case_id",
            classes = new[] { "benign", "malignant" }, annotators = new[] { _a.UserId, _b.UserId }, readersPerCase = 2,
            arbitrator = _arbiter.UserId, referenceColumn = "ref",
        })).ShouldBe(HttpStatusCode.Created);
        var url = twoReaders["url"]!.GetValue<string>();
        foreach (var row in Plan)
        {
            await (await _a.Http.PostJson($"{url}/labels", new { caseId = row[0], value = row[1] })).ShouldBe(HttpStatusCode.Created);
            await (await _b.Http.PostJson($"{url}/labels", new { caseId = row[0], value = row[2] })).ShouldBe(HttpStatusCode.Created);
        }

        var agreement = (await (await Steward.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK))["agreement"]!;
        agreement["statistic"]!.GetValue<string>().ShouldBe("cohen");
        // By hand: A = m b m b m b, B = m b b b m m → p_o = 4/6; A and B each say malignant 3/6 → p_e = 1/2; κ = 1/3.
        agreement["kappa"]!.GetValue<double>().ShouldBe(1.0 / 3, 1e-9);
    }

    [Fact]
    public async Task an_arbitrator_who_also_reads_or_an_unknown_user_is_refused_at_opening()
    {
        (await (await Steward.Http.PostJson("/api/campaigns", Campaign(arbitrator: _a.UserId))).ShouldBeProblem(HttpStatusCode.BadRequest))
            ["errors"]!["arbitrator"].ShouldNotBeNull();
        (await (await Steward.Http.PostJson("/api/campaigns", Campaign(arbitrator: Guid.NewGuid()))).ShouldBeProblem(HttpStatusCode.BadRequest))
            ["errors"]!["arbitrator"].ShouldNotBeNull();
        (await (await Steward.Http.PostJson("/api/campaigns", Campaign(readers: 4))).ShouldBeProblem(HttpStatusCode.BadRequest))
            ["errors"]!["readersPerCase"].ShouldNotBeNull();
        await (await _a.Http.PostJson("/api/campaigns", Campaign())).ShouldBeProblem(HttpStatusCode.Forbidden);
    }
}
