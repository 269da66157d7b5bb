using Ai4h.Audit.Domain.Identity;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ai4h.Audit.Api.Web.Pages;

/// <summary>
/// Signing in with user name and password gives a cookie for this web application, and puts the sign-in on the record
/// (<see cref="WebSessions"/>). The answer never says whether the name or the password was wrong. (Failed sign-ins are
/// not counted towards the signing lock: anyone could lock anyone; instead each account's attempts are throttled,
/// <see cref="SignInThrottle"/>.)
/// </summary>
public sealed class SignInModel(IDocumentStore store, SignInThrottle throttle) : PageModel
{
    public string? Error { get; private set; }
    public string? UserName { get; private set; }
    public string ReturnUrl { get; private set; } = "/";

    public void OnGet(string? returnUrl) => ReturnUrl = Local(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? userName, string? password, string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = Local(returnUrl);
        UserName = userName?.Trim();
        if (string.IsNullOrEmpty(UserName) || string.IsNullOrEmpty(password) || UserName.Length > 100 || password.Length > 1024)
        {
            Error = "Give your user name and password.";
            return Page();
        }

        if (!throttle.TryAttempt(UserName))
        {
            Error = "Too many sign-in attempts for this account. Wait a few minutes and try again.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        await using var session = store.QuerySession();
        var name = UserName.ToLowerInvariant();
        var account = await session.Query<UserAccount>().FirstOrDefaultAsync(a => a.UserName.ToLower() == name, ct);
        if (account?.Password is not { } hash || !Passwords.Verify(hash, password))
        {
            Error = "The user name or password is wrong, or no password has been set for this account.";
            return Page();
        }

        await WebSessions.SignedInAsync(store, HttpContext, account, ct);
        await HttpContext.SignInAsync(WebAuthentication.CookieScheme, WebAuthentication.Principal(account));
        return LocalRedirect(ReturnUrl);
    }

    private string Local(string? url) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : "/";
}
