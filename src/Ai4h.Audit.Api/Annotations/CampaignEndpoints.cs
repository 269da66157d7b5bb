using Ai4h.Audit.Api.Benchmarks;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Annotations;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Authorization;
using System.Security.Claims;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Annotations;

public sealed record CampaignOpenedResponse(Guid CampaignId, int Cases, string Url);

public sealed record LabelCase(string CaseId, string Value, double? Confidence, string? Comment, string? Reason);

public sealed record AdjudicateCase(string CaseId, string Value, string? Rationale);

public sealed record CloseCampaign(string? Reason);

public sealed record CampaignClosedResponse(Guid CampaignId, Guid DatasetId, int ReferenceVersion, string Sha256, AgreementReport Agreement, string Url);

public static class OpenCampaignEndpoint
{
    [EndpointSummary("Open an annotation campaign on a data set version")]
    [WolverinePost("/api/campaigns", Name = "OpenCampaign")]
    [Authorize(Roles = RoleSets.CampaignOrganisers)]
    public static async Task<IResult> Post(OpenCampaign command, IDocumentSession session, CancellationToken ct)
    {
        var (info, bytes) = await TestData.LoadAsync(session, command.DatasetId, command.DatasetVersion, ct);
        var users = (await session.Query<UserAccount>().Select(u => u.Id).ToListAsync(ct)).ToHashSet();
        var id = Guid.CreateVersion7();
        var opened = AnnotationDecisions.Open(id, command, info, bytes, users.Contains);
        session.Events.StartStream<AnnotationCampaign>(id, opened);
        return Results.Created($"/api/campaigns/{id}", new CampaignOpenedResponse(id, opened.CaseIds.Count, $"/api/campaigns/{id}"));
    }
}

public static class LabelEndpoints
{
    [EndpointSummary("Label a case assigned to you (blinded; once per case)")]
    [WolverinePost("/api/campaigns/{campaignId}/labels", Name = "LabelCase")]
    [Authorize(Roles = RoleSets.CampaignWorkers)]
    public static async Task<IResult> Label(Guid campaignId, LabelCase command, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var stream = await Campaigns.FetchForWriting(session, campaignId, ct);
        var labelled = AnnotationDecisions.Label(stream.Aggregate!, Actor.From(user).UserId, command.CaseId, command.Value, command.Confidence, command.Comment);
        stream.AppendOne(labelled);
        return Results.Created($"/api/campaigns/{campaignId}", new { command.CaseId, command.Value });
    }

    [EndpointSummary("Correct your own label of a case, with the reason (the first label stays on record)")]
    [WolverinePost("/api/campaigns/{campaignId}/labels/corrections", Name = "CorrectLabel")]
    [Authorize(Roles = RoleSets.CampaignWorkers)]
    public static async Task<IResult> Correct(Guid campaignId, LabelCase command, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var stream = await Campaigns.FetchForWriting(session, campaignId, ct);
        stream.AppendOne(AnnotationDecisions.Correct(stream.Aggregate!, Actor.From(user).UserId, command.CaseId, command.Value,
            command.Confidence, command.Comment, command.Reason));
        return Results.Created($"/api/campaigns/{campaignId}", new { command.CaseId, command.Value });
    }

    [EndpointSummary("Adjudicate a case on which the readers disagree (the campaign's arbitrator only)")]
    [WolverinePost("/api/campaigns/{campaignId}/adjudications", Name = "AdjudicateCase")]
    [Authorize(Roles = RoleSets.CampaignWorkers)]
    public static async Task<IResult> Adjudicate(Guid campaignId, AdjudicateCase command, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var stream = await Campaigns.FetchForWriting(session, campaignId, ct);
        stream.AppendOne(AnnotationDecisions.Adjudicate(stream.Aggregate!, Actor.From(user).UserId, command.CaseId, command.Value, command.Rationale));
        return Results.Created($"/api/campaigns/{campaignId}", new { command.CaseId, command.Value });
    }
}

public static class CloseCampaignEndpoint
{
    [EndpointSummary("Close a campaign: write the reference standard as a new data set version with its provenance")]
    [WolverinePost("/api/campaigns/{campaignId}/close", Name = "CloseCampaign")]
    [Authorize(Roles = RoleSets.CampaignOrganisers)]
    public static async Task<(IResult, VerifyDatasetVersion)> Post(Guid campaignId, CloseCampaign command, IDocumentSession session, CancellationToken ct)
    {
        var campaignStream = await Campaigns.FetchForWriting(session, campaignId, ct);
        var campaign = campaignStream.Aggregate!;
        var labels = AnnotationDecisions.ReferenceLabels(campaign);

        // Locked until the commit, as an upload is: a Runner verdict on the data set waits instead of making this a 409.
        var datasetStream = await session.Events.FetchForExclusiveWriting<Dataset>(campaign.DatasetId, ct);
        var source = await BlobStore.ReadAsync(session, campaign.DatasetSha256, ct)
            ?? throw new BlobIntegrityException(campaign.DatasetSha256, "nothing (the stored bytes are missing)");
        var reference = AnnotationDecisions.ReferenceTable(campaign, source, labels);
        var uploaded = DatasetDecisions.UploadVersion(datasetStream.Aggregate!, $"reference-standard-{campaignId:N}.csv", reference,
            $"Reference standard from annotation campaign '{campaign.Name}' ({campaignId}) on version {campaign.DatasetVersion}");
        BlobStore.Store(session, reference);
        datasetStream.AppendOne(uploaded);

        var provenance = await Provenance(session, campaign, labels, ct);
        var agreement = AnnotationDecisions.Agreement(campaign);
        campaignStream.AppendOne(new AnnotationCampaignClosed(campaignId, campaign.DatasetId, uploaded.Version, uploaded.Sha256,
            agreement, provenance, string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim()));

        var url = $"/api/datasets/{campaign.DatasetId}/versions/{uploaded.Version}";
        return (Results.Ok(new CampaignClosedResponse(campaignId, campaign.DatasetId, uploaded.Version, uploaded.Sha256, agreement, url)),
            new VerifyDatasetVersion(campaign.DatasetId, uploaded.Version, uploaded.Sha256));
    }

    /// <summary>For every case, the ids of the label, correction and adjudication events its reference label rests on.</summary>
    private static async Task<IReadOnlyList<ReferenceProvenance>> Provenance(IDocumentSession session, AnnotationCampaign campaign,
        IReadOnlyList<(string CaseId, string Value, string Basis)> labels, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(campaign.Id, token: ct);
        var byCase = events
            .Select(e => (e.Id, Case: e.Data switch
            {
                CaseLabelled l => l.CaseId,
                CaseLabelCorrected c => c.CaseId,
                CaseAdjudicated a => a.CaseId,
                _ => null,
            }))
            .Where(x => x.Case is not null)
            .GroupBy(x => x.Case!)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Guid>)g.Select(x => x.Id).ToList());
        return labels.Select(l => new ReferenceProvenance(l.CaseId, l.Value, l.Basis, byCase.GetValueOrDefault(l.CaseId, []))).ToList();
    }
}

internal static class Campaigns
{
    public static async Task<JasperFx.Events.IEventStream<AnnotationCampaign>> FetchForWriting(IDocumentSession session, Guid id, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<AnnotationCampaign>(id, ct);
        return stream.Aggregate is null ? throw DecisionRejected.NotFound($"campaign {id} does not exist") : stream;
    }
}
