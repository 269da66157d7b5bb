using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Submissions;
using Marten;
using Microsoft.AspNetCore.Authorization;

namespace Ai4h.Audit.Api.Web.Pages.Audits;

public sealed record MyAudit(SubmissionAudit Audit, string Model, string Part);

/// <summary>The audits the signed-in auditor leads or is assigned to.</summary>
[Authorize(Roles = RoleSets.AuditWorkers)]
public sealed class AuditsModel(IQuerySession session) : WebPage
{
    public IReadOnlyList<MyAudit> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = Me.UserId;
        // Audits are few (one per submission): reading them all keeps the membership rule the aggregate's own.
        var mine = (await session.Query<SubmissionAudit>().ToListAsync(ct)).Where(a => a.IsMember(me)).ToList();
        var ids = mine.Select(a => a.SubmissionId).ToArray();
        var submissions = (await session.Query<Submission>().Where(s => s.Id.In(ids)).ToListAsync(ct)).ToDictionary(s => s.Id);
        Rows = mine.Select(a => new MyAudit(a,
            submissions.TryGetValue(a.SubmissionId, out var s) ? $"{s.Manifest.ModelName} {s.Manifest.ModelVersion}" : a.SubmissionId.ToString(),
            string.Join(", ", (a.LeadId == me ? ["lead"] : Array.Empty<string>()).Concat(a.Auditors.Where(x => x.Value == me).Select(x => x.Key.ToString())))))
            .ToList();
    }
}
