using Microsoft.AspNetCore.Mvc;

namespace Ai4h.Audit.Api.Web.Pages;

/// <summary>"Why?": the Api's evidence traces (a metric, a criterion's verdict, the decision) and its "why" answer, shown as they are.</summary>
public sealed class TraceModel(WebApi api) : WebPage
{
    public ApiAnswer? Answer { get; private set; }
    public string Heading { get; private set; } = "Evidence trace";
    public string ApiPath { get; private set; } = "";
    public string Back { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync(Guid? evaluation, string? metric, int? criterion, Guid? decision, Guid? why, Guid? submission, Guid? history)
    {
        if (evaluation is { } e)
        {
            ApiPath = $"/api/evaluations/{e}/trace?" + (criterion is { } c ? $"criterion={c}" : $"metric={Uri.EscapeDataString(metric ?? "auroc")}");
            Heading = criterion is { } k ? $"Why this verdict on criterion {k}?" : $"Where does {metric ?? "auroc"} come from?";
        }
        else if (decision is { } d)
        {
            ApiPath = $"/api/submissions/{d}/decision/trace";
            Heading = "The decision in force and what it rests on";
            Back = $"/submissions/{d}";
        }
        else if (why is { } w)
        {
            ApiPath = $"/api/submissions/{w}/why";
            Heading = "Why does this submission stand where it does?";
            Back = $"/submissions/{w}";
        }
        else if (history is { } h)
        {
            ApiPath = $"/api/submissions/{h}/history";
            Heading = "The submission's history: every event, who, when and why";
            Back = $"/submissions/{h}";
        }
        else return BadRequest("Say what to trace: evaluation (with metric or criterion), decision, why or history.");

        Answer = await api.GetAsync(ApiPath);
        if (evaluation is not null && Answer.Ok) Back = submission is { } s ? $"/submissions/{s}" : "/";
        return Page();
    }
}
