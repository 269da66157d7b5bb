using System.Security.Claims;
using Ai4h.Audit.Api.History;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Annotations;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Annotations;

public sealed record CaseView(string CaseId, IReadOnlyList<Guid> Readers, IReadOnlyList<CaseLabel> Labels, bool Disagreement, string? Adjudication);

/// <summary>A campaign as the reader may see it: overseers see everything, an arbitrator the disagreements, an annotator only their own labels.</summary>
public sealed record CampaignView(
    Guid Id, string Name, Guid DatasetId, int DatasetVersion, IReadOnlyList<string> Classes, int ReadersPerCase,
    IReadOnlyList<Guid> Annotators, Guid Arbitrator, bool Closed, int? ReferenceVersion, string View,
    int Cases, int CasesComplete, int Disagreements, AgreementReport? Agreement, IReadOnlyList<CaseView> CaseDetails);

public static class CampaignQueries
{
    [EndpointSummary("Read a campaign: progress, labels, disagreements and agreement, as far as your part allows")]
    [WolverineGet("/api/campaigns/{campaignId}", Name = "GetCampaign")]
    [Authorize(Roles = RoleSets.CampaignWorkers + "," + nameof(Role.Regulator))]
    public static async Task<CampaignView> Get(Guid campaignId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var c = await session.LoadAsync<AnnotationCampaign>(campaignId, ct) ?? throw DecisionRejected.NotFound($"campaign {campaignId} does not exist");
        var actor = Actor.From(user);
        var complete = c.CaseIds.Count(c.IsComplete);
        var disagreements = c.CaseIds.Count(c.IsDisagreement);

        CaseView Full(string id) => new(id, c.ReadersOf(id), c.LabelsOf(id), c.IsDisagreement(id), c.Adjudications.GetValueOrDefault(id));

        (string View, IEnumerable<CaseView> Cases, bool ShowAgreement) shown =
            actor.HasAnyRole(RoleSets.CampaignOverseers) ? ("overseer", c.CaseIds.Select(Full), true)
            : actor.UserId == c.Arbitrator ? ("arbitrator", c.CaseIds.Where(c.IsDisagreement).Select(Full), false)
            : c.Annotators.Contains(actor.UserId) ? ("annotator", c.CaseIds.Where(id => c.ReadersOf(id).Contains(actor.UserId)).Select(id =>
                // Blinding: an annotator sees their own label only, never whether others agree.
                new CaseView(id, [actor.UserId], [.. c.LabelsOf(id).Where(l => l.AnnotatorId == actor.UserId)], false, null)), false)
            : throw new AccessForbidden("you are neither an overseer, the arbitrator nor an annotator of this campaign",
                [Role.DataSteward, Role.Auditor, Role.AuditLead, Role.Regulator]);

        return new CampaignView(c.Id, c.Name, c.DatasetId, c.DatasetVersion, c.Classes, c.ReadersPerCase, c.Annotators, c.Arbitrator,
            c.Closed, c.ReferenceVersion, shown.View, c.CaseIds.Count, complete, shown.ShowAgreement ? disagreements : 0,
            shown.ShowAgreement ? AnnotationDecisions.Agreement(c) : null, shown.Cases.ToList());
    }

    [EndpointSummary("A campaign's history: every label, correction, adjudication and the closing, with who and when")]
    [WolverineGet("/api/campaigns/{campaignId}/history", Name = "GetCampaignHistory")]
    [Authorize(Roles = RoleSets.CampaignOverseers)]
    public static async Task<IReadOnlyList<RecordedEvent>> History(Guid campaignId, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<AnnotationCampaign>(campaignId, ct) is null) throw DecisionRejected.NotFound($"campaign {campaignId} does not exist");
        return await StreamHistory.ReadAsync(session, campaignId, ct);
    }
}
