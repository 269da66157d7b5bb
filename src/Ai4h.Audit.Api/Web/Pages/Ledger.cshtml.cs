using Ai4h.Audit.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ai4h.Audit.Api.Web.Pages;

/// <summary>The ledger's latest signed checkpoint, the Api's own verification of the store against it, and the bundle.</summary>
[Authorize(Roles = RoleSets.LedgerReaders)]
public sealed class LedgerModel(WebApi api) : WebPage
{
    public ApiAnswer? Checkpoint { get; private set; }
    public ApiAnswer? Verification { get; private set; }

    public async Task OnGetAsync() => Checkpoint = await api.GetAsync("/api/ledger/checkpoints/latest");

    // A POST because it is a deliberate action (it reads the whole store), although it changes nothing.
    public async Task OnPostVerifyAsync()
    {
        Checkpoint = await api.GetAsync("/api/ledger/checkpoints/latest");
        Verification = await api.GetAsync("/api/ledger/verification");
    }

    public async Task<IActionResult> OnGetBundleAsync()
    {
        var answer = await api.GetAsync("/api/ledger/bundle");
        if (!answer.Ok) return Content(answer.Message);
        return File(answer.Bytes, answer.ContentType ?? "application/json", answer.FileName ?? "ledger-bundle.json");
    }
}
