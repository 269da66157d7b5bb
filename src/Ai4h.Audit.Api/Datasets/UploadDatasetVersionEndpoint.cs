using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Datasets;

public sealed record DatasetVersionUploadedResponse(
    Guid DatasetId, int Version, string Sha256, int RowCount, long SizeBytes, bool ContentAlreadyStored, string Url);

public static class UploadDatasetVersionEndpoint
{
    [EndpointSummary("Upload a new version of a data set (CSV)")]
    [EndpointDescription("Multipart form: the CSV in field 'file', with an optional 'reason' and 'expectedVersion' (the data set's version the client last read; a mismatch is a 409). The Runner is then asked, through the transactional outbox, to read the stored bytes back and verify them.")]
    [WolverinePost("/api/datasets/{datasetId}/versions", Name = "UploadDatasetVersion")]
    [Authorize(Roles = RoleSets.DatasetWriters)]
    [ProducesResponseType<DatasetVersionUploadedResponse>(201)]
    public static async Task<(IResult, VerifyDatasetVersion)> Post(Guid datasetId, HttpRequest request, IDocumentSession session,
        IOptions<RecordLimits> limits, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            throw DecisionRejected.Invalid("file", "send the CSV as multipart/form-data in a field named 'file'");
        var form = await Uploads.ReadFormAsync(request, limits.Value, ct);
        var file = form.Files.GetFile("file")
            ?? throw DecisionRejected.Invalid("file", "the multipart field 'file' is missing");
        if (form.Files.Count > 1) throw DecisionRejected.Invalid("file", "send exactly one file per version");
        if (file.Length > limits.Value.MaxUploadBytes) throw new UploadTooLarge(limits.Value.MaxUploadBytes);
        var expectedVersion = ParseExpectedVersion(form["expectedVersion"]);

        // Locked until the commit: the Runner's verdicts append to this stream too, and must wait rather than make the
        // steward's upload a 409 that no other person caused.
        var stream = await session.Events.FetchForExclusiveWriting<Dataset>(datasetId, ct);
        var dataset = stream.Aggregate ?? throw DecisionRejected.NotFound($"data set {datasetId} does not exist");
        if (expectedVersion is { } expected && expected != stream.CurrentVersion)
            throw DecisionRejected.Conflict($"the data set is at version {stream.CurrentVersion} of its stream, not {expected}; read it again");

        var bytes = new byte[file.Length];
        await using (var content = file.OpenReadStream()) await content.ReadExactlyAsync(bytes, ct);

        var uploaded = DatasetDecisions.UploadVersion(dataset, file.FileName, bytes, form["reason"]);
        var alreadyStored = await BlobStore.ExistsAsync(session, uploaded.Sha256, ct);
        BlobStore.Store(session, bytes);
        stream.AppendOne(uploaded);

        var url = $"/api/datasets/{datasetId}/versions/{uploaded.Version}";
        return (Results.Created(url, new DatasetVersionUploadedResponse(
                datasetId, uploaded.Version, uploaded.Sha256, uploaded.RowCount, uploaded.SizeBytes, alreadyStored, url)),
            new VerifyDatasetVersion(datasetId, uploaded.Version, uploaded.Sha256));
    }

    private static long? ParseExpectedVersion(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return long.TryParse(value, out var v) && v > 0
            ? v
            : throw DecisionRejected.Invalid("expectedVersion", "must be a positive whole number (the stream version you last read)");
    }
}
