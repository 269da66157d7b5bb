using Ai4h.Audit.Api.Audits;
using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Submissions;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Ai4h.Audit.Api.Web.Pages.Audits;

/// <summary>
/// One audit: the checklist by section and discipline, answers with evidence, findings, and Part 11 signatures given in a
/// dialog that asks for the password again and says what the signature means. Every write is the Api's.
/// </summary>
public sealed class AuditModel(IQuerySession session, WebApi api) : WebPage
{
    [FromRoute] public Guid AuditId { get; set; }

    public SubmissionAudit? Audit { get; private set; }
    public ChecklistTemplate? Template { get; private set; }
    public Submission? Submission { get; private set; }
    public IReadOnlyList<Evaluation> Evaluations { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();
    public string? Message { get; private set; }

    /// <summary>The item (or "signoff") whose form failed, and the Api's answer.</summary>
    public string? FailedOn { get; private set; }
    public ApiAnswer? Failure { get; private set; }

    /// <summary>The signing dialog to show open: after a refusal, or when asked for without JavaScript.</summary>
    public string? OpenDialog { get; private set; }

    public string Name(Guid id) => Names.GetValueOrDefault(id, id.ToString());
    public bool IsLead => Audit?.LeadId == Me.UserId;
    public bool IsDeveloper => Submission?.DeveloperId == Me.UserId;
    public bool Assigned(ChecklistItem item) => Audit!.Auditors.TryGetValue(item.Discipline, out var a) && a == Me.UserId;
    public bool CanAnswer(ChecklistItem item) => !Audit!.Completed && Assigned(item);
    public bool CanSign(ChecklistItem item) => CanAnswer(item) && Audit!.Answers.ContainsKey(item.Id) && Audit.ItemSignature(item.Id) is null or { Superseded: true };
    public bool CanSignOff => IsLead && !Audit!.Completed;
    /// <summary>Regulators are offered the decision form; the Api decides whether the audit is ready and says what is missing.</summary>
    public bool CanDecide => User.IsInRole(nameof(Role.Regulator));

    public async Task<IActionResult> OnGetAsync(string? sign, string? message, CancellationToken ct)
    {
        Message = message;
        OpenDialog = sign;
        await LoadAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostAnswerAsync(string itemId, ItemAnswer answer, string? rationale, string[]? evidence, string? reason, long? expectedVersion) =>
        WriteAsync(itemId, $"/api/audits/{AuditId}/items/{Uri.EscapeDataString(itemId)}/answers",
            new AnswerItem(answer, rationale, Evidence(evidence), string.IsNullOrWhiteSpace(reason) ? null : reason, expectedVersion),
            $"Item {itemId} answered.");

    /// <summary>The meaning chosen in a refused signing attempt, so that the dialog shows it again.</summary>
    public SignatureMeaning? ChosenMeaning { get; private set; }

    public Task<IActionResult> OnPostSignAsync(string? itemId, SignatureMeaning meaning, string? userName, string? password, long? expectedVersion) =>
        (ChosenMeaning = meaning) is var _ && string.IsNullOrEmpty(itemId)
            ? WriteAsync("signoff", $"/api/audits/{AuditId}/signoff", new Sign(userName ?? "", password ?? "", meaning, expectedVersion),
                "The checklist is signed off.", dialog: "signoff")
            : WriteAsync(itemId, $"/api/audits/{AuditId}/items/{Uri.EscapeDataString(itemId)}/signatures",
                new Sign(userName ?? "", password ?? "", meaning, expectedVersion), $"Item {itemId} signed.", dialog: itemId);

    /// <summary>What a refused decision asked for, so that the dialog shows it again.</summary>
    public DecisionOutcome ChosenOutcome { get; private set; } = DecisionOutcome.Approved;
    public string? ChosenReasoning { get; private set; }

    public Task<IActionResult> OnPostDecideAsync(DecisionOutcome outcome, string? reasoning, string[]? evidence, Guid? supersedes, string? userName,
        string? password, long? expectedVersion)
    {
        (ChosenOutcome, ChosenReasoning) = (outcome, reasoning);
        return WriteAsync("decision", $"/api/audits/{AuditId}/decisions",
            new Decide(userName ?? "", password ?? "", outcome, reasoning, Evidence(evidence), supersedes, expectedVersion), $"Decision recorded: {outcome}.",
            dialog: "decision");
    }

    public Task<IActionResult> OnPostFindingAsync(string itemId, FindingSeverity severity, string? text, long? expectedVersion) =>
        WriteAsync(itemId, $"/api/audits/{AuditId}/findings", new RaiseFinding(itemId, severity, text, expectedVersion), $"Finding raised on item {itemId}.");

    public Task<IActionResult> OnPostRespondAsync(string itemId, Guid findingId, string? response, long? expectedVersion) =>
        WriteAsync(itemId, $"/api/audits/{AuditId}/findings/{findingId}/responses", new AnswerFinding(response, expectedVersion), "Finding answered.");

    public Task<IActionResult> OnPostCloseAsync(string itemId, Guid findingId, string? resolution, long? expectedVersion) =>
        WriteAsync(itemId, $"/api/audits/{AuditId}/findings/{findingId}/closure", new CloseFinding(resolution, expectedVersion), "Finding closed.");

    private async Task<IActionResult> WriteAsync(string on, string path, object body, string done, string? dialog = null)
    {
        var answer = await api.PostAsync(path, body);
        if (answer.Ok) return RedirectToPage(new { AuditId, message = done });
        FailedOn = on;
        Failure = answer;
        OpenDialog = dialog;
        await LoadAsync(HttpContext.RequestAborted);
        Response.StatusCode = answer.Status is 401 or 423 ? 200 : answer.Status; // the page itself is fine; the refusal is shown on it
        return Page();
    }

    private static IReadOnlyList<EvidenceLink> Evidence(string[]? picked) =>
        (picked ?? []).Select(p => p.Split(':')).Where(p => p.Length == 2 && Enum.TryParse<EvidenceKind>(p[0], out _) && Guid.TryParse(p[1], out _))
            .Select(p => new EvidenceLink(Enum.Parse<EvidenceKind>(p[0]), Guid.Parse(p[1]))).ToList();

    private async Task LoadAsync(CancellationToken ct)
    {
        Audit = await ReadAsync(() => AuditEndpoints.Get(AuditId, User, session, ct));
        if (Audit is null) return;
        Template = await AuditEndpoints.Template(session, Audit, ct);
        Submission = await session.LoadAsync<Submission>(Audit.SubmissionId, ct);
        Evaluations = (await session.Query<Evaluation>().Where(e => e.SubmissionId == Audit.SubmissionId).ToListAsync(ct)).OrderBy(e => e.Id).ToList();
        var people = Audit.Auditors.Values.Append(Audit.LeadId).Concat(Audit.Answers.Values.Select(a => a.AnsweredBy))
            .Concat(Audit.Findings.Select(f => f.RaisedBy)).Distinct().ToArray();
        Names = (await session.Query<UserAccount>().Where(u => u.Id.In(people)).ToListAsync(ct)).ToDictionary(u => u.Id, u => u.PrintedName);
    }
}
