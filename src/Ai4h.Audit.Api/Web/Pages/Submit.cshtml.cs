using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Api.Submissions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ai4h.Audit.Api.Web.Pages;

/// <summary>A developer submits an ONNX model and its manifest through the Api; its refusals appear beside the fields they name.</summary>
[Authorize(Roles = RoleSets.Submitters)]
public sealed class SubmitModel(WebApi api, IQuerySession session) : WebPage
{
    private static readonly string[] FormFields = ["model", "previousSubmissionId", "reason"];

    public ApiAnswer? Failure { get; private set; }
    public ApiAnswer? Benchmarks { get; private set; }
    public IReadOnlyList<SubmissionSummary> Mine { get; private set; } = [];
    public string? Manifest { get; private set; }

    public string? Error(string field) => Failure?.Errors.GetValueOrDefault(field) is { } e ? string.Join(" ", e) : null;

    /// <summary>Every refusal that is not about the file or the other form fields is about the manifest (its fields, or its JSON).</summary>
    public IReadOnlyDictionary<string, string[]> ManifestErrors =>
        Failure is null ? new Dictionary<string, string[]>()
            : Failure.Errors.Count == 0 ? new Dictionary<string, string[]> { ["manifest"] = [(Failure.Json as System.Text.Json.Nodes.JsonObject)?["detail"]?.ToString() ?? Failure.Message] }
            : Failure.Errors.Where(e => !FormFields.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(IFormFile? model, string? manifest, string? previousSubmissionId, string? reason, CancellationToken ct)
    {
        Manifest = manifest;
        using var form = new MultipartFormDataContent();
        if (model is not null)
        {
            var file = new StreamContent(model.OpenReadStream());
            form.Add(file, "model", model.FileName);
        }
        form.Add(new StringContent(manifest ?? ""), "manifest");
        if (!string.IsNullOrWhiteSpace(previousSubmissionId)) form.Add(new StringContent(previousSubmissionId), "previousSubmissionId");
        if (!string.IsNullOrWhiteSpace(reason)) form.Add(new StringContent(reason), "reason");
        var answer = await api.PostAsync("/api/submissions", form);
        if (answer.Ok && (answer.Json as System.Text.Json.Nodes.JsonObject)?["submissionId"]?.GetValue<Guid>() is { } id)
            return Redirect($"/submissions/{id}?message={Uri.EscapeDataString("Submitted: ONNX Runtime accepted the model and it is on the record.")}");
        Failure = answer;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Mine = await SubmissionQueries.List(User, session, ct);
        Benchmarks = await api.GetAsync("/api/benchmarks");
    }
}
