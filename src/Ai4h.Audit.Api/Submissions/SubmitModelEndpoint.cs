using System.Text.Json;
using System.Text.Json.Serialization;
using Ai4h.Audit.Api.Benchmarks;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Ai4h.Audit.Inference;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Submissions;

public sealed record ModelSubmittedResponse(Guid SubmissionId, string ModelSha256, int BenchmarkVersion, ModelSignature Signature, string Url);

public static class SubmitModelEndpoint
{
    private static readonly JsonSerializerOptions ManifestJson = Strict(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private static JsonSerializerOptions Strict(JsonSerializerOptions options)
    {
        StrictJson.Apply(options);
        return options;
    }

    [EndpointSummary("Submit a model: an ONNX file and its manifest, checked with ONNX Runtime before anything is recorded")]
    [EndpointDescription("Multipart form: 'model' (the .onnx file), 'manifest' (JSON), optional 'previousSubmissionId' (for a new version of your model) and 'reason'.")]
    [WolverinePost("/api/submissions", Name = "SubmitModel")]
    [Authorize(Roles = RoleSets.Submitters)]
    public static async Task<IResult> Post(HttpRequest request, System.Security.Claims.ClaimsPrincipal user, IDocumentSession session,
        IOptions<RecordLimits> limits, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            throw DecisionRejected.Invalid("model", "send multipart/form-data with fields 'model' (the ONNX file) and 'manifest' (JSON)");
        var form = await Uploads.ReadFormAsync(request, limits.Value, ct);
        var file = form.Files.GetFile("model") ?? throw DecisionRejected.Invalid("model", "the multipart field 'model' is missing");
        DatasetDecisions.CleanFileName(file.FileName, "model");
        Domain.Record.Text.Reason(form["reason"].ToString());
        var manifest = ParseManifest(form["manifest"]);
        var developer = Actor.From(user);

        var benchmark = await session.LoadAsync<Domain.Benchmarks.Benchmark>(manifest.BenchmarkId, ct)
            ?? throw DecisionRejected.Invalid("benchmarkId", $"benchmark {manifest.BenchmarkId} does not exist");
        var definition = benchmark.Current.Definition;
        SubmissionDecisions.CheckManifest(manifest, definition);

        Guid? previousId = null;
        if (!string.IsNullOrWhiteSpace(form["previousSubmissionId"]))
        {
            previousId = Guid.TryParse(form["previousSubmissionId"], out var p) ? p
                : throw DecisionRejected.Invalid("previousSubmissionId", "must be a submission id");
            SubmissionDecisions.CheckPrevious(await session.LoadAsync<Submission>(p, ct), p, developer.UserId, manifest);
        }

        var bytes = new byte[file.Length];
        await using (var content = file.OpenReadStream()) await content.ReadExactlyAsync(bytes, ct);
        var signature = ModelInspector.Inspect(bytes, manifest, definition.FeatureColumns.Count, SubmissionDecisions.ClassCount(definition));

        var id = Guid.CreateVersion7();
        var sha = BlobStore.Store(session, bytes);
        var reason = Domain.Record.Text.Reason(form["reason"].ToString());
        session.Events.StartStream<Submission>(id, new ModelSubmitted(id, manifest, benchmark.Current.Version, sha, bytes.Length,
            DatasetDecisions.CleanFileName(file.FileName, "model"), signature, developer.UserId, previousId, reason));
        var url = $"/api/submissions/{id}";
        return Results.Created(url, new ModelSubmittedResponse(id, sha, benchmark.Current.Version, signature, url));
    }

    private static ModelManifest ParseManifest(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) throw DecisionRejected.Invalid("manifest", "the multipart field 'manifest' (JSON) is missing");
        try
        {
            return JsonSerializer.Deserialize<ModelManifest>(json, ManifestJson)
                ?? throw DecisionRejected.Invalid("manifest", "the manifest is empty");
        }
        catch (JsonException e)
        {
            throw DecisionRejected.Invalid("manifest", $"the manifest is not valid JSON for this schema: {e.Message}");
        }
    }
}
