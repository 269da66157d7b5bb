using Ai4h.Audit.Api.Dossiers;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Api.Submissions;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Dossiers.Pdf;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Ai4h.Audit.Api.Web.Pages.Submissions;

/// <summary>
/// A submission's dossier, built by the Api's own dossier code (now, or as of an event or a moment), laid out as the
/// PDF lays it out; downloads go through the Api's export so each one is recorded.
/// </summary>
public sealed class DossierModel(IQuerySession session, WebApi api) : WebPage
{
    [FromRoute] public Guid SubmissionId { get; set; }
    [FromQuery] public long? AsOfSequence { get; set; }
    [FromQuery] public DateTime? AsOf { get; set; }

    public Dossier? Dossier { get; private set; }
    public DossierDocument? Document { get; private set; }
    public string? Message { get; private set; }
    public bool InProgress => Dossier?.Evaluations.Any(e => e.Status is EvaluationStatus.Requested or EvaluationStatus.Running) == true;
    public bool CanReadLedger => Me.HasAnyRole(RoleSets.LedgerReaders);
    public bool CanWorkAudit => Me.HasAnyRole(RoleSets.AuditWorkers);
    public bool CanDecide => AsOfSequence is null && AsOf is null && Me.Roles.Contains(Role.Regulator);
    public bool CanRequestEvaluation => AsOfSequence is null && AsOf is null && Me.Roles.Contains(Role.ModelDeveloper);

    private DateTimeOffset? AsOfUtc => AsOf is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    public async Task<IActionResult> OnGetAsync(string? message, CancellationToken ct)
    {
        Message = message;
        Dossier = await ReadAsync(async () =>
        {
            await SubmissionQueries.Get(SubmissionId, User, session, ct);
            return await DossierEndpoints.BuildAsync(session, SubmissionId, AsOfSequence, AsOfUtc, ct);
        });
        if (Dossier is not null) Document = DossierDocumentMapping.ToDocument(Dossier);
        return Page();
    }

    /// <summary>PDF or JSON through the Api's export, which records who exported what.</summary>
    public async Task<IActionResult> OnGetExportAsync(string format)
    {
        var answer = await api.GetAsync($"/api/submissions/{SubmissionId}/dossier/export?format={Uri.EscapeDataString(format)}"
            + (AsOfSequence is { } n ? $"&asOfSequence={n}" : "") + "&purpose=" + Uri.EscapeDataString("Downloaded from the web application"));
        if (!answer.Ok) return RedirectToPage(new { SubmissionId, message = answer.Message });
        return File(answer.Bytes, answer.ContentType ?? "application/octet-stream", answer.FileName ?? $"dossier.{format}");
    }

    public async Task<IActionResult> OnPostEvaluateAsync(string? reason)
    {
        var answer = await api.PostAsync($"/api/submissions/{SubmissionId}/evaluations", new { reason = string.IsNullOrWhiteSpace(reason) ? null : reason });
        return RedirectToPage(new { SubmissionId, message = answer.Ok ? "Evaluation requested: a Runner will pick it up." : answer.Message });
    }
}
