using Ai4h.Audit.Api.Security;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ai4h.Audit.Api.Web.Pages;

[AllowAnonymous]
public sealed class SignOutModel(IDocumentStore store) : PageModel
{
    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Only a session of this web application is signed out (and recorded), not an API-key caller.
        if (User.Identity is { IsAuthenticated: true, AuthenticationType: WebAuthentication.CookieScheme })
            await WebSessions.SignedOutAsync(store, HttpContext, Actor.From(User), ct);
        await HttpContext.SignOutAsync(WebAuthentication.CookieScheme);
        return RedirectToPage("/SignIn");
    }
}
