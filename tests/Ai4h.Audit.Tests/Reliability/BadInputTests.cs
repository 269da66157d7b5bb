using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Tests.Benchmarks;
using Ai4h.Audit.Tests.Dossiers;
using Ai4h.Audit.Tests.Infrastructure;
using Ai4h.Audit.Tests.Submissions;
using static Ai4h.Audit.Tests.Reliability.HostileBytes;

namespace Ai4h.Audit.Tests.Reliability;

/// <summary>
/// One hostile or malformed request: who sends it, where, and what the Api must answer. <see cref="Names"/> is what
/// the problem's <c>errors</c> must have as a key, or else its <c>detail</c> must contain. <see cref="Records"/> lists
/// the security events the refusal itself must append to the sender's account stream (nothing else may be appended).
/// </summary>
public sealed record BadInput(
    string Name,
    Func<SeededRecord, TestUser> Who,
    HttpMethod Method,
    Func<SeededRecord, string> Path,
    Func<SeededRecord, HttpContent>? Body,
    HttpStatusCode Status,
    string Names,
    params string[] Records)
{
    public override string ToString() => Name;
}

/// <summary>
/// Bad input, table-driven: every case gets a 4xx RFC 9457 problem that names the field and the rule, never a 500;
/// afterwards the store holds exactly the events it held before plus the refusal events the case expects (a 403 is an
/// <c>access_refused</c>, a wrong signing password a <c>reauthentication_failed</c>, both on the sender's own stream), and
/// every seeded submission's dossier has the same content hash. The record is seeded once for the whole table.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputTests(ApiFixture fixture, SeededRecordHolder holder) : IClassFixture<SeededRecordHolder>
{
    private const string Password = AuditedSubmission.Password;
    private const string AccessRefused = "access_refused";
    private const string ReauthenticationFailed = "reauthentication_failed";
    private static readonly string Mega = new('x', 1024 * 1024);

    private static readonly HttpMethod Post = HttpMethod.Post, Get = HttpMethod.Get;

    // Who sends it.
    private static TestUser Steward(SeededRecord s) => s.Steward;
    private static TestUser Dev(SeededRecord s) => s.Developer;
    private static TestUser Rival(SeededRecord s) => s.Rival;
    private static TestUser Lead(SeededRecord s) => s.Lead;
    private static TestUser DataAuditor(SeededRecord s) => s.DataAuditor;
    private static TestUser AiMlAuditor(SeededRecord s) => s.AiMlAuditor;
    private static TestUser Regulator(SeededRecord s) => s.Regulator;
    private static TestUser Admin(SeededRecord s) => s.Admin;

    // Where.
    private static string Versions(SeededRecord s) => $"/api/datasets/{s.DatasetId}/versions";
    private static string Submissions(SeededRecord _) => "/api/submissions";
    private static string Evaluations(SeededRecord s) => $"/api/submissions/{s.SubmissionId}/evaluations";
    private static string Answers(SeededRecord s) => $"/api/audits/{s.AuditId}/items/C1/answers";
    private static string Signatures(SeededRecord s) => $"/api/audits/{s.AuditId}/items/C1/signatures";
    private static string Decisions(SeededRecord s) => $"/api/audits/{s.AuditId}/decisions";
    private static string Users(SeededRecord _) => "/api/users";
    private static string Benchmarks(SeededRecord _) => "/api/benchmarks";

    // What.
    private static readonly byte[] GoodCsv = "a,b\n1,2\n"u8.ToArray();
    private static Func<SeededRecord, HttpContent> Csv(byte[] bytes, string fileName = "cases.csv") => _ => Multipart(("file", fileName, bytes));
    private static Func<SeededRecord, HttpContent> Csv(string text) => Csv(Encoding.UTF8.GetBytes(text));
    private static Func<SeededRecord, HttpContent> CsvWith(string field, string value) =>
        _ => Multipart(("file", "cases.csv", GoodCsv), (field, null, Encoding.UTF8.GetBytes(value)));
    private static Func<SeededRecord, HttpContent> Raw(string json) => _ => Json(json);
    private static Func<SeededRecord, HttpContent> Body(Func<SeededRecord, object> body) => s => Json(JsonSerializerHelper.Serialize(body(s)));

    private static Func<SeededRecord, HttpContent> Model(byte[] model, Action<JsonObject, SeededRecord>? change = null, string fileName = "model.onnx",
        params (string Field, string Value)[] extra) => s =>
    {
        var manifest = SubmissionTests.Manifest(s.BenchmarkId);
        change?.Invoke(manifest, s);
        var parts = new List<(string, string?, byte[])> { ("model", fileName, model), ("manifest", null, Encoding.UTF8.GetBytes(manifest.ToJsonString())) };
        parts.AddRange(extra.Select(e => (e.Field, (string?)null, Encoding.UTF8.GetBytes(e.Value))));
        return Multipart([.. parts]);
    };

    private static Func<SeededRecord, HttpContent> Manifest(string manifestJson) =>
        _ => Multipart(("model", "model.onnx", SubmissionTests.Model), ("manifest", null, Encoding.UTF8.GetBytes(manifestJson)));

    private static object Answer(SeededRecord s, string answer = "Met", string rationale = "Every read of the test data is recorded") =>
        new { answer, rationale, evidence = new[] { new { kind = "Evaluation", id = s.EvaluationId } }, reason = "re-checked" };

    private static Func<SeededRecord, HttpContent> AnswerJson(Func<SeededRecord, string> json) => s => Json(json(s));

    private static object Decision(SeededRecord s, object? outcome = null, string? reasoning = null, object? evidence = null, Guid? supersedes = null,
        string? password = null) => new
    {
        userName = s.Regulator.UserName, password = password ?? Password, outcome = outcome ?? "Approved",
        reasoning = reasoning ?? "The evaluation and the audit support approval",
        evidence = evidence ?? new[] { new { kind = "Evaluation", id = s.EvaluationId } }, supersedes,
    };

    /// <summary>A valid definition on the seeded hold-out data, with one field changed.</summary>
    private static Dictionary<string, object?> ValidBenchmark(SeededRecord s) => BenchmarkTestData.Binary(s.DatasetId)
        .With("caseIdColumn", "case_id").With("labelColumn", "diagnosis").With("featureColumns", Ai4h.Audit.Tests.Evaluations.EvaluationTestData.Features)
        .With("subgroupColumns", null).With("acceptanceCriteria", null).With("reason", "bad input");

    private static Func<SeededRecord, HttpContent> Benchmark(string key, object? value) =>
        s => Json(JsonSerializerHelper.Serialize(ValidBenchmark(s).With(key, value)));

    private static Func<SeededRecord, HttpContent> User(string userName = "newcomer", string printedName = "New Comer", string roles = "[\"Auditor\"]",
        string extra = "") => _ => Json($$"""{"userName": "{{userName}}", "printedName": "{{printedName}}", "organisation": "Agency", "roles": {{roles}}{{extra}}}""");

    private static string Columns(int n) => string.Join(',', Enumerable.Range(0, n).Select(i => $"c{i}"));

    public static readonly IReadOnlyList<BadInput> Cases =
    [
        // --- CSV uploads: encodings, delimiters, quoting, shape (DatasetBadInputTests has the simpler ones) ---
        new("csv: invalid UTF-8 (overlong encoding of '/')", Steward, Post, Versions, Csv([.. "a,b\n"u8, 0xC0, 0xAF, .. ",1\n"u8]), HttpStatusCode.BadRequest, "file"),
        new("csv: UTF-8-encoded lone surrogate", Steward, Post, Versions, Csv([.. "a,b\n"u8, 0xED, 0xA0, 0x80, .. ",1\n"u8]), HttpStatusCode.BadRequest, "file"),
        new("csv: byte-order mark followed by latin-1", Steward, Post, Versions,
            Csv([0xEF, 0xBB, 0xBF, .. Encoding.Latin1.GetBytes("name,city\nJosé,Montréal\n")]), HttpStatusCode.BadRequest, "file"),
        new("csv: byte-order mark and a header only", Steward, Post, Versions, Csv([0xEF, 0xBB, 0xBF, .. "a,b,c\r\n"u8]), HttpStatusCode.BadRequest, "file"),
        new("csv: pipe-delimited", Steward, Post, Versions, Csv("id|age|label\n1|2|3\n"), HttpStatusCode.BadRequest, "file"),
        new("csv: quoted newline in the header, then a ragged row (line numbers count it)", Steward, Post, Versions,
            Csv("\"a\nb\",c\n1,2,3\n"), HttpStatusCode.BadRequest, "line 3"),
        new("csv: quote opened in a row and never closed across lines", Steward, Post, Versions, Csv("a,b\n\"1,2\n3,4\n5,6\n"), HttpStatusCode.BadRequest, "never closed"),
        new("csv: 20,000 columns", Steward, Post, Versions, Csv(Columns(20_000) + "\n" + new string(',', 19_999) + "\n"), HttpStatusCode.BadRequest, "at most 10000"),
        new("csv: 1,000,000 columns (refused by size before it is parsed)", Steward, Post, Versions, Csv(Columns(1_000_000) + "\n"),
            HttpStatusCode.RequestEntityTooLarge, "file"),
        new("csv: a column name padded with spaces", Steward, Post, Versions, Csv("id, age\n1,2\n"), HttpStatusCode.BadRequest, "spaces"),
        new("csv: two files in one upload", Steward, Post, Versions, _ => Multipart(("file", "a.csv", GoodCsv), ("file", "b.csv", GoodCsv)),
            HttpStatusCode.BadRequest, "file"),
        new("csv: file name '../..'", Steward, Post, Versions, Csv(GoodCsv, "../.."), HttpStatusCode.BadRequest, "file"),
        new("csv: file name with a NUL (a\\0b.csv)", Steward, Post, Versions, Csv(GoodCsv, "a\0b.csv"), HttpStatusCode.BadRequest, "file"),
        new("csv: file name with an escape character", Steward, Post, Versions, Csv(GoodCsv, "a\u001b[31mb.csv"), HttpStatusCode.BadRequest, "file"),
        new("csv: 300-character file name", Steward, Post, Versions, Csv(GoodCsv, new string('n', 296) + ".csv"), HttpStatusCode.BadRequest, "file"),
        new("csv: file name with a right-to-left override (cases\\u202Evsc.exe)", Steward, Post, Versions, Csv(GoodCsv, "cases\u202Evsc.exe"),
            HttpStatusCode.BadRequest, "file"),
        new("csv: file name with a zero-width space", Steward, Post, Versions, Csv(GoodCsv, "ca\u200Bses.csv"), HttpStatusCode.BadRequest, "file"),
        new("csv: negative expectedVersion", Steward, Post, Versions, CsvWith("expectedVersion", "-3"), HttpStatusCode.BadRequest, "expectedVersion"),
        new("csv: stale expectedVersion (a replayed upload)", Steward, Post, Versions, CsvWith("expectedVersion", "1"), HttpStatusCode.Conflict, "version"),
        new("csv: reason with a NUL", Steward, Post, Versions, CsvWith("reason", "because\0"), HttpStatusCode.BadRequest, "reason"),
        new("csv: 100,000-character reason", Steward, Post, Versions, CsvWith("reason", new string('r', 100_000)), HttpStatusCode.BadRequest, "reason"),

        // --- Model submissions: hostile ONNX, manifests that do not fit the model ---
        new("onnx: input declares a batch of 2,000,000,000 cases", Dev, Post, Submissions, Model(OnnxClassifier(2_000_000_000)),
            HttpStatusCode.BadRequest, "inputTensor"),
        new("onnx: input declares a batch of 50,000,000 cases", Dev, Post, Submissions, Model(OnnxClassifier(50_000_000)),
            HttpStatusCode.BadRequest, "inputTensor"),
        new("onnx: weights in an external file (/etc/passwd)", Dev, Post, Submissions, Model(OnnxClassifier(null, "/etc/passwd")),
            HttpStatusCode.BadRequest, "model"),
        new("onnx: weights in an external file up the tree (../../../../etc/passwd)", Dev, Post, Submissions,
            Model(OnnxClassifier(null, "../../../../../../etc/passwd")), HttpStatusCode.BadRequest, "model"),
        new("onnx: empty model file", Dev, Post, Submissions, Model([]), HttpStatusCode.BadRequest, "model"),
        new("onnx: manifest names an output the model does not have", Dev, Post, Submissions,
            Model(SubmissionTests.Model, (m, _) => m["outputTensor"] = "logits"), HttpStatusCode.BadRequest, "outputTensor"),
        new("onnx: manifest lists 29 of the 30 features", Dev, Post, Submissions,
            Model(SubmissionTests.Model, (m, _) => m["featureColumns"]!.AsArray().RemoveAt(29)), HttpStatusCode.BadRequest, "featureColumns"),
        new("onnx: positive class index 7 of 2 outputs", Dev, Post, Submissions,
            Model(SubmissionTests.Model, (m, _) => m["positiveClassIndex"] = 7), HttpStatusCode.BadRequest, "positiveClassIndex"),
        new("onnx: model file name with control characters", Dev, Post, Submissions, Model(SubmissionTests.Model, fileName: "mo\u0007del.onnx"),
            HttpStatusCode.BadRequest, "model"),
        new("manifest: a JSON array", Dev, Post, Submissions, Manifest("[1, 2, 3]"), HttpStatusCode.BadRequest, "manifest"),
        new("manifest: benchmarkId is not a GUID", Dev, Post, Submissions, s => Manifest(SubmissionTests.Manifest(s.BenchmarkId).ToJsonString()
            .Replace(s.BenchmarkId.ToString(), "not-a-guid"))(s), HttpStatusCode.BadRequest, "manifest"),
        new("manifest: model name with a NUL", Dev, Post, Submissions, Model(SubmissionTests.Model, (m, _) => m["modelName"] = "wdbc\0logreg"),
            HttpStatusCode.BadRequest, "modelName"),
        new("manifest: model name with a right-to-left override", Dev, Post, Submissions,
            Model(SubmissionTests.Model, (m, _) => m["modelName"] = "wdbc\u202Egerlog"), HttpStatusCode.BadRequest, "modelName"),
        new("manifest: 200,000-character intended use", Dev, Post, Submissions,
            Model(SubmissionTests.Model, (m, _) => m["intendedUse"] = new string('u', 200_000)), HttpStatusCode.BadRequest, "intendedUse"),
        new("submission: previousSubmissionId is another developer's", Rival, Post, Submissions,
            s => Model(SubmissionTests.Model, extra: ("previousSubmissionId", s.SubmissionId.ToString()))(s), HttpStatusCode.BadRequest, "previousSubmissionId"),
        new("submission: previousSubmissionId is not a GUID", Dev, Post, Submissions,
            Model(SubmissionTests.Model, extra: ("previousSubmissionId", "../../etc")), HttpStatusCode.BadRequest, "previousSubmissionId"),
        new("submission: previousSubmissionId does not exist", Dev, Post, Submissions,
            Model(SubmissionTests.Model, extra: ("previousSubmissionId", Guid.NewGuid().ToString())), HttpStatusCode.BadRequest, "previousSubmissionId"),
        new("submission: reason with a NUL", Dev, Post, Submissions, Model(SubmissionTests.Model, extra: ("reason", "new\0version")),
            HttpStatusCode.BadRequest, "reason"),
        new("submission: JSON instead of multipart", Dev, Post, Submissions, Raw("{\"model\": \"AAAA\"}"), HttpStatusCode.BadRequest, "model"),
        new("submission: model over the size limit", Dev, Post, Submissions, Model(new byte[ApiFixture.MaxUploadBytes + 1024]),
            HttpStatusCode.RequestEntityTooLarge, "limit"),

        // --- Evaluations: someone else's submission, ids that do not exist ---
        new("evaluation: of another developer's submission", Rival, Post, Evaluations, Raw("{\"reason\": \"peek\"}"), HttpStatusCode.Forbidden,
            "another developer", AccessRefused),
        new("evaluation: of a submission that does not exist", Dev, Post, s => $"/api/submissions/{Guid.NewGuid()}/evaluations", Raw("{}"),
            HttpStatusCode.NotFound, "does not exist"),
        new("evaluation: submission id is not a GUID", Dev, Post, _ => "/api/submissions/not-a-guid/evaluations", Raw("{}"), HttpStatusCode.NotFound, "nothing at"),
        new("evaluation: body is not JSON", Dev, Post, Evaluations, Raw("reason=please"), HttpStatusCode.BadRequest, "Path: $"),
        new("evaluation: 1 MB reason", Dev, Post, Evaluations, Body(_ => new { reason = Mega }), HttpStatusCode.BadRequest, "reason"),

        // --- Audits: opening, answers, findings ---
        new("audit: template that does not exist", Lead, Post, s => $"/api/submissions/{s.SubmissionId}/audits", Body(_ => new { templateId = Guid.NewGuid() }),
            HttpStatusCode.BadRequest, "templateId"),
        new("audit: opened again (a replayed request)", Lead, Post, s => $"/api/submissions/{s.SubmissionId}/audits", Body(s => new { templateId = s.TemplateId }),
            HttpStatusCode.Conflict, "already under audit"),
        new("audit: JSON null", Lead, Post, s => $"/api/submissions/{s.SubmissionId}/audits", Raw("null"), HttpStatusCode.BadRequest, "body"),
        new("answer: 1 MB rationale", DataAuditor, Post, Answers, Body(s => Answer(s, rationale: Mega)), HttpStatusCode.BadRequest, "rationale"),
        new("answer: rationale with a NUL", DataAuditor, Post, Answers,
            AnswerJson(s => $$"""{"answer": "Met", "rationale": "checked\u0000", "evidence": [{"kind": "Evaluation", "id": "{{s.EvaluationId}}"}], "reason": "x"}"""),
            HttpStatusCode.BadRequest, "rationale"),
        new("answer: rationale with a lone surrogate", DataAuditor, Post, Answers,
            AnswerJson(s => $$"""{"answer": "Met", "rationale": "checked \ud800", "evidence": [{"kind": "Evaluation", "id": "{{s.EvaluationId}}"}], "reason": "x"}"""),
            HttpStatusCode.BadRequest, "rationale"),
        new("answer: body that is not UTF-8", DataAuditor, Post, Answers, _ => JsonBytes([.. "{\"answer\": \"Met\", \"rationale\": \"caf"u8, 0xE9, .. "\"}"u8]),
            HttpStatusCode.BadRequest, "rationale"),
        new("answer: unknown answer 'Maybe'", DataAuditor, Post, Answers, Body(s => Answer(s, answer: "Maybe")), HttpStatusCode.BadRequest, "answer"),
        new("answer: answer given as a number", DataAuditor, Post, Answers,
            AnswerJson(s => $$"""{"answer": 7, "rationale": "checked", "evidence": [{"kind": "Evaluation", "id": "{{s.EvaluationId}}"}], "reason": "x"}"""),
            HttpStatusCode.BadRequest, "answer"),
        new("answer: evidence that does not exist", DataAuditor, Post, Answers,
            Body(_ => new { answer = "Met", rationale = "checked", evidence = new[] { new { kind = "Evaluation", id = Guid.NewGuid() } }, reason = "x" }),
            HttpStatusCode.BadRequest, "evidence[0]"),
        new("answer: data set evidence without a version", DataAuditor, Post, Answers,
            Body(s => new { answer = "Met", rationale = "checked", evidence = new[] { new { kind = "DatasetVersion", id = s.DatasetId } }, reason = "x" }),
            HttpStatusCode.BadRequest, "evidence[0].version"),
        new("answer: item that does not exist", DataAuditor, Post, s => $"/api/audits/{s.AuditId}/items/Z9/answers", Body(s => Answer(s)),
            HttpStatusCode.NotFound, "Z9"),
        new("answer: audit that does not exist", DataAuditor, Post, _ => $"/api/audits/{Guid.NewGuid()}/items/C1/answers", Body(s => Answer(s)),
            HttpStatusCode.NotFound, "does not exist"),
        new("answer: stale expectedVersion", DataAuditor, Post, Answers,
            Body(s => new { answer = "NotMet", rationale = "changed my mind", evidence = new[] { new { kind = "Evaluation", id = s.EvaluationId } }, reason = "x", expectedVersion = 1 }),
            HttpStatusCode.Conflict, "version"),
        new("answer: negative expectedVersion", DataAuditor, Post, Answers,
            Body(s => new { answer = "NotMet", rationale = "changed my mind", evidence = new[] { new { kind = "Evaluation", id = s.EvaluationId } }, reason = "x", expectedVersion = -5 }),
            HttpStatusCode.BadRequest, "expectedVersion"),
        new("answer: the same answer again (a replayed request)", DataAuditor, Post, Answers, Body(s => Answer(s)), HttpStatusCode.Conflict, "already has this answer"),
        new("answer: by an auditor not assigned to the item", DataAuditor, Post, s => $"/api/audits/{s.AuditId}/items/F1/answers", Body(s => Answer(s)),
            HttpStatusCode.Forbidden, "assigned", AccessRefused),
        new("answer: by a model developer", Dev, Post, Answers, Body(s => Answer(s)), HttpStatusCode.Forbidden, "roles", AccessRefused),
        new("answer: an unknown extra field", DataAuditor, Post, Answers,
            AnswerJson(s => $$"""{"answer": "NotMet", "rationale": "r", "evidance": [{"kind": "Evaluation", "id": "{{s.EvaluationId}}"}], "reason": "x"}"""),
            HttpStatusCode.BadRequest, "evidance"),
        new("answer: evidence [null]", DataAuditor, Post, Answers, Raw("{\"answer\": \"NotMet\", \"rationale\": \"r\", \"evidence\": [null], \"reason\": \"x\"}"),
            HttpStatusCode.BadRequest, "evidence[0]"),
        new("answer: 1 MB reason for the change", DataAuditor, Post, Answers,
            Body(s => new { answer = "NotMet", rationale = "changed", evidence = new[] { new { kind = "Evaluation", id = s.EvaluationId } }, reason = Mega }),
            HttpStatusCode.BadRequest, "reason"),
        new("user: roles [null]", Admin, Post, Users, User(roles: "[null]"), HttpStatusCode.BadRequest, "roles"),
        new("answer: truncated JSON", DataAuditor, Post, Answers, Raw("{\"answer\": \"Met\", \"rationale\": \"che"), HttpStatusCode.BadRequest, "$.rationale"),
        new("answer: JSON null", DataAuditor, Post, Answers, Raw("null"), HttpStatusCode.BadRequest, "body"),
        new("answer: JSON sent as text/plain", DataAuditor, Post, Answers, s => Json(JsonSerializerHelper.Serialize(Answer(s, answer: "NotMet")), "text/plain"),
            HttpStatusCode.UnsupportedMediaType, "application/json"),
        new("finding: severity 'Catastrophic'", DataAuditor, Post, s => $"/api/audits/{s.AuditId}/findings",
            Raw("{\"itemId\": \"C1\", \"severity\": \"Catastrophic\", \"text\": \"t\"}"), HttpStatusCode.BadRequest, "severity"),
        new("finding: 1 MB text", DataAuditor, Post, s => $"/api/audits/{s.AuditId}/findings", Body(_ => new { itemId = "C1", severity = "Minor", text = Mega }),
            HttpStatusCode.BadRequest, "text"),

        // --- Signatures and decisions: replays, passwords, outcomes ---
        new("signature: the same signature again (a replayed request)", DataAuditor, Post, Signatures,
            Body(s => new { userName = s.DataAuditor.UserName, password = Password, meaning = "Reviewed" }), HttpStatusCode.Conflict, "signed off"),
        new("signature: wrong password", AiMlAuditor, Post, s => $"/api/audits/{s.AuditId}/items/F1/signatures",
            Body(s => new { userName = s.AiMlAuditor.UserName, password = "not my password", meaning = "Reviewed" }), HttpStatusCode.Unauthorized,
            "user name or password", ReauthenticationFailed),
        new("signature: 1 MB password", DataAuditor, Post, Signatures, Body(s => new { userName = s.DataAuditor.UserName, password = Mega, meaning = "Reviewed" }),
            HttpStatusCode.BadRequest, "password"),
        new("signature: no password", DataAuditor, Post, Signatures, Body(s => new { userName = s.DataAuditor.UserName, meaning = "Reviewed" }),
            HttpStatusCode.BadRequest, "password"),
        new("signature: unknown meaning", DataAuditor, Post, Signatures,
            Body(s => new { userName = s.DataAuditor.UserName, password = Password, meaning = "Rubber-stamped" }), HttpStatusCode.BadRequest, "meaning"),
        new("sign-off: the same sign-off again (a replayed request)", Lead, Post, s => $"/api/audits/{s.AuditId}/signoff",
            Body(s => new { userName = s.Lead.UserName, password = Password, meaning = "Approved" }), HttpStatusCode.Conflict, "signed off already"),
        new("decision: the same decision again (a replayed request)", Regulator, Post, Decisions, Body(s => Decision(s)), HttpStatusCode.Conflict, "supersedes"),
        new("decision: 1 MB reasoning", Regulator, Post, Decisions, Body(s => Decision(s, reasoning: Mega)), HttpStatusCode.BadRequest, "reasoning"),
        new("decision: reasoning with zero-width and bidi characters only", Regulator, Post, Decisions, Body(s => Decision(s, reasoning: "\u200B\u200D\u2066\u2069")),
            HttpStatusCode.BadRequest, "reasoning"),
        new("decision: unknown outcome 'Maybe'", Regulator, Post, Decisions, Body(s => Decision(s, outcome: "Maybe")), HttpStatusCode.BadRequest, "outcome"),
        new("decision: outcome given as a number", Regulator, Post, Decisions, Body(s => Decision(s, outcome: 99)), HttpStatusCode.BadRequest, "outcome"),
        new("decision: evidence that does not exist", Regulator, Post, Decisions,
            Body(s => Decision(s, evidence: new[] { new { kind = "Submission", id = Guid.NewGuid() } })), HttpStatusCode.BadRequest, "evidence[0]"),
        new("decision: supersedes a decision that does not exist", Regulator, Post, Decisions, Body(s => Decision(s, supersedes: Guid.NewGuid())),
            HttpStatusCode.Conflict, "supersedes"),
        new("decision: by the audit lead", Lead, Post, Decisions, Body(s => Decision(s)), HttpStatusCode.Forbidden, "roles", AccessRefused),

        // --- Users and keys ---
        new("user: printed name with a right-to-left override", Admin, Post, Users, User(printedName: "Eve \u202Enamdrocer"), HttpStatusCode.BadRequest, "printedName"),
        new("user: printed name with a zero-width joiner", Admin, Post, Users, User(printedName: "Ali\u200Dce"), HttpStatusCode.BadRequest, "printedName"),
        new("user: printed name with a NUL", Admin, Post, Users, User(printedName: "Mallory\\u0000"), HttpStatusCode.BadRequest, "printedName"),
        new("user: user name with a lone surrogate", Admin, Post, Users, User(userName: "eve\\udc00"), HttpStatusCode.BadRequest, "userName"),
        new("user: role 'God'", Admin, Post, Users, User(roles: "[\"God\"]"), HttpStatusCode.BadRequest, "roles"),
        new("user: role given as a number", Admin, Post, Users, User(roles: "[42]"), HttpStatusCode.BadRequest, "roles"),
        new("user: roles is a string", Admin, Post, Users, User(roles: "\"Administrator\""), HttpStatusCode.BadRequest, "roles"),
        new("user: user name taken (a replayed request)", Admin, Post, Users, User(userName: "dev"), HttpStatusCode.Conflict, "taken"),
        new("user: an unknown extra field", Admin, Post, Users, User(extra: ", \"isSuperUser\": true"), HttpStatusCode.BadRequest, "isSuperUser"),
        new("user: created by a data steward", Steward, Post, Users, User(), HttpStatusCode.Forbidden, "roles", AccessRefused),
        new("api key: 1 MB label", Admin, Post, s => $"/api/users/{s.Developer.UserId}/api-keys", Body(_ => new { label = Mega }), HttpStatusCode.BadRequest, "label"),
        new("api key: user that does not exist", Admin, Post, _ => $"/api/users/{Guid.NewGuid()}/api-keys", Body(_ => new { label = "k" }),
            HttpStatusCode.NotFound, "does not exist"),

        // --- Data sets and benchmarks ---
        new("data set: an unknown extra field", Steward, Post, _ => "/api/datasets",
            Body(_ => new { name = "n", description = "d", owner = "o", intendedUse = "u", licence = "l", modality = "m", task = "t", licenseUrl = "x" }),
            HttpStatusCode.BadRequest, "licenseUrl"),
        new("data set: name with a zero-width space", Steward, Post, _ => "/api/datasets",
            Body(_ => new { name = "WD\u200BBC", description = "d", owner = "o", intendedUse = "u", licence = "l", modality = "m", task = "t" }),
            HttpStatusCode.BadRequest, "name"),
        new("data set: 1 MB description", Steward, Post, _ => "/api/datasets",
            Body(_ => new { name = "n", description = Mega, owner = "o", intendedUse = "u", licence = "l", modality = "m", task = "t" }),
            HttpStatusCode.BadRequest, "description"),
        new("benchmark: data set version -1", Steward, Post, Benchmarks, Benchmark("datasetVersion", -1), HttpStatusCode.BadRequest, "datasetVersion"),
        new("benchmark: data set version beyond a 32-bit integer", Steward, Post, Benchmarks, Benchmark("datasetVersion", 4_294_967_296L),
            HttpStatusCode.BadRequest, "datasetVersion"),
        new("benchmark: decision threshold 1e400", Steward, Post, Benchmarks,
            s => Json(JsonSerializerHelper.Serialize(ValidBenchmark(s).With("decisionThreshold", 0.123)).Replace("0.123,", "1e400,")),
            HttpStatusCode.BadRequest, "decisionThreshold"),
        new("benchmark: decision threshold 'NaN'", Steward, Post, Benchmarks, Benchmark("decisionThreshold", "NaN"), HttpStatusCode.BadRequest, "decisionThreshold"),
        new("benchmark: a billion bootstrap replicates", Steward, Post, Benchmarks,
            Benchmark("confidenceInterval", new { method = "Bootstrap", level = 0.95, bootstrapReplicates = 1_000_000_000, seed = 1 }),
            HttpStatusCode.BadRequest, "confidenceInterval.bootstrapReplicates"),
        new("benchmark: data set that does not exist", Steward, Post, Benchmarks, Benchmark("datasetId", Guid.NewGuid()), HttpStatusCode.BadRequest, "datasetId"),
        new("benchmark: featureColumns is a string", Steward, Post, Benchmarks, Benchmark("featureColumns", "x1,x2"), HttpStatusCode.BadRequest, "featureColumns"),
        new("benchmark revision: stale expectedVersion", Steward, Post, s => $"/api/benchmarks/{s.BenchmarkId}/versions", Benchmark("expectedVersion", 99),
            HttpStatusCode.Conflict, "version"),
        new("benchmark revision: expectedVersion 0", Steward, Post, s => $"/api/benchmarks/{s.BenchmarkId}/versions", Benchmark("expectedVersion", 0),
            HttpStatusCode.BadRequest, "expectedVersion"),
        new("benchmark: acceptance criteria [null]", Steward, Post, Benchmarks, Benchmark("acceptanceCriteria", new object?[] { null }),
            HttpStatusCode.BadRequest, "acceptanceCriteria[0]"),
        new("benchmark: feature columns [null]", Steward, Post, Benchmarks, Benchmark("featureColumns", new string?[] { null }),
            HttpStatusCode.BadRequest, "featureColumns[0]"),

        // --- Reading: query strings, someone else's dossier ---
        new("dossier: asOfSequence -1", Lead, Get, s => $"/api/submissions/{s.SubmissionId}/dossier?asOfSequence=-1", null, HttpStatusCode.BadRequest, "asOfSequence"),
        new("dossier: asOfSequence is not a number", Lead, Get, s => $"/api/submissions/{s.SubmissionId}/dossier?asOfSequence=1;drop", null,
            HttpStatusCode.BadRequest, "asOfSequence"),
        new("dossier export: format 'exe'", Lead, Get, s => $"/api/submissions/{s.SubmissionId}/dossier/export?format=exe", null, HttpStatusCode.BadRequest, "format"),
        new("dossier: another developer's submission", Rival, Get, s => $"/api/submissions/{s.SubmissionId}/dossier", null, HttpStatusCode.Forbidden,
            "another developer", AccessRefused),
    ];

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var c in Cases) names.Add(c.Name);
        return names;
    }

    [Fact]
    public void the_table_has_at_least_fifty_distinct_cases()
    {
        Cases.Select(c => c.Name).Distinct().Count().ShouldBe(Cases.Count);
        Cases.Count.ShouldBeGreaterThanOrEqualTo(50);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task is_refused_with_a_problem_naming_the_field_and_nothing_recorded_changes(string name)
    {
        var c = Cases.Single(x => x.Name == name);
        var seed = await holder.GetAsync(fixture);
        var sender = c.Who(seed);
        var last = await SeededRecord.LastSequenceAsync(fixture);
        var dossiers = await seed.DossierHashesAsync();
        dossiers.ShouldBe(seed.Dossiers, "the record changed before this case ran (an earlier case was accepted)");

        using var request = new HttpRequestMessage(c.Method, c.Path(seed)) { Content = c.Body?.Invoke(seed) };
        using var response = await sender.Http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe((int)c.Status, $"{name}: {body}");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{name}: {body}");
        var problem = JsonNode.Parse(body)!;
        problem["status"]!.GetValue<int>().ShouldBe((int)c.Status, name);
        problem["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace(name);
        var detail = problem["detail"]?.GetValue<string>() ?? "";
        var errors = problem["errors"]?.AsObject().Select(kv => kv.Key).ToList() ?? [];
        (errors.Contains(c.Names) || detail.Contains(c.Names, StringComparison.OrdinalIgnoreCase))
            .ShouldBeTrue($"{name}: expected errors['{c.Names}'] or a detail naming '{c.Names}': {body}");
        detail.ShouldNotBeNullOrWhiteSpace(name);

        var appended = await SeededRecord.EventsAfterAsync(fixture, last);
        appended.Select(e => e.Type).ShouldBe(c.Records, $"{name}: events appended {string.Join(", ", appended)}");
        appended.ShouldAllBe(e => e.StreamId == sender.UserId && e.UserName == sender.UserName, name);
        (await seed.DossierHashesAsync()).ShouldBe(dossiers, name);
    }

    [Fact]
    public void a_million_columns_are_refused_as_soon_as_the_header_passes_the_limit()
    {
        // A stray quote far beyond the limit: were the whole header parsed first, that would be the complaint.
        var header = Columns(500_000) + ",bad\"quote," + Columns(499_999) + "\n";
        var bytes = Encoding.UTF8.GetBytes(header + string.Concat(Enumerable.Repeat(new string(',', 999_999) + "\n", 20)));
        var clock = Stopwatch.StartNew();

        var refused = Should.Throw<CsvRejected>(() => CsvProfiler.Profile(bytes));

        refused.Rule.ShouldContain($"at most {CsvProfiler.MaxColumns}");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }
}

/// <summary>Serialises request bodies as the Api's clients do (camelCase).</summary>
internal static class JsonSerializerHelper
{
    public static string Serialize(object value) => System.Text.Json.JsonSerializer.Serialize(value, Http.Json);
}
