using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Audits;

public sealed record TemplateSummary(Guid Id, string Key, int Version, string Name, int Items, string ContentSha256);

/// <summary>Checklist templates are data: published as events, versioned, pinned by the audits opened against them.</summary>
public static class TemplateEndpoints
{
    [EndpointSummary("Publish a checklist template version (the request body is the template JSON; see data/checklists)")]
    [EndpointDescription("Every problem is reported at once, each under its field. Key and version together are unique; a changed template is a new version.")]
    [WolverinePost("/api/checklist-templates", Name = "PublishChecklistTemplate")]
    [Authorize(Roles = RoleSets.TemplatePublishers)]
    public static async Task<IResult> Publish(HttpRequest request, string? reason, IDocumentSession session, CancellationToken ct)
    {
        using var body = new StreamReader(request.Body);
        var template = ChecklistTemplates.Parse(await body.ReadToEndAsync(ct));
        var id = Guid.CreateVersion7();
        session.Events.StartStream<PublishedTemplate>(id, AuditDecisions.Publish(id, template, reason));
        return Results.Created($"/api/checklist-templates/{id}", new TemplateSummary(id, template.Key, template.Version, template.Name,
            template.Items.Count, ChecklistTemplates.ContentSha256(template)));
    }

    [EndpointSummary("List the published checklist templates")]
    [WolverineGet("/api/checklist-templates", Name = "ListChecklistTemplates")]
    [Authorize(Roles = RoleSets.BenchmarkReaders)]
    public static async Task<IReadOnlyList<TemplateSummary>> List(IQuerySession session, CancellationToken ct) =>
        (await session.Query<PublishedTemplate>().ToListAsync(ct))
        .OrderBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.TemplateVersion)
        .Select(t => new TemplateSummary(t.Id, t.Key, t.TemplateVersion, t.Template.Name, t.Template.Items.Count, t.ContentSha256)).ToList();

    [EndpointSummary("Read a published checklist template version: sections and items with their disciplines")]
    [WolverineGet("/api/checklist-templates/{templateId}", Name = "GetChecklistTemplate")]
    [Authorize(Roles = RoleSets.BenchmarkReaders)]
    public static async Task<PublishedTemplate> Get(Guid templateId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<PublishedTemplate>(templateId, ct) ?? throw DecisionRejected.NotFound($"checklist template {templateId} does not exist");
}
