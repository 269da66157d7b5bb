using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Api.Submissions;
using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Identity;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Ai4h.Audit.Api.Web.Pages;

public sealed record SubmissionRow(SubmissionSummary Summary, Evaluation? Evaluation, AuditStatus Audit);

/// <summary>The submissions a user may read (the Api's own list: developers their own, assessors all), with status and decision.</summary>
public sealed class IndexModel(IQuerySession session) : WebPage
{
    public IReadOnlyList<SubmissionRow> Rows { get; private set; } = [];
    public bool OnlyOwn { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // Annotators and administrators have no submissions to read: their own starting points.
        if (!Me.HasAnyRole(RoleSets.SubmissionReaders))
            return Redirect(Me.Roles.Contains(Role.Annotator) || Me.Roles.Contains(Role.Administrator) ? "/datasets" : "/forbidden");
        OnlyOwn = !Me.HasAnyRole(RoleSets.SubmissionAssessors);
        var list = await SubmissionQueries.List(User, session, ct);
        var ids = list.Select(s => s.Id).ToArray();
        var evaluations = (await session.Query<Evaluation>().Where(e => e.SubmissionId.In(ids)).ToListAsync(ct)).ToLookup(e => e.SubmissionId);
        var audits = (await session.Query<SubmissionAudit>().Where(a => a.SubmissionId.In(ids)).ToListAsync(ct)).ToDictionary(a => a.SubmissionId);
        Rows = list.Select(s => new SubmissionRow(s, evaluations[s.Id].OrderBy(e => e.Id).LastOrDefault(),
            SubmissionQueries.StatusOf(audits.GetValueOrDefault(s.Id)))).ToList();
        return Page();
    }
}
