using System.Security.Claims;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Ai4h.Audit.Api.Web;

/// <summary>
/// Two ways in, one set of users and roles: API keys for programs (<c>/api</c>, unchanged) and a sign-in cookie for
/// people using the web application. A policy scheme picks one per request: a presented key always wins; the cookie
/// counts for <c>/api</c> only when the request also carries <see cref="WebHeader"/>, which a cross-site form or link
/// cannot send, so the API stays safe from cross-site request forgery while the pages call it on the user's behalf.
/// </summary>
public static class WebAuthentication
{
    public const string PolicyScheme = "Ai4h";
    public const string CookieScheme = "Ai4hWeb";
    public const string CookieName = "ai4h.web";
    public const string WebHeader = "X-Ai4h-Web";

    public static AuthenticationBuilder AddAuditAuthentication(this IServiceCollection services) =>
        services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "API key or web sign-in", o => o.ForwardDefaultSelector = SchemeFor)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.AccessDeniedPath = "/forbidden";
                o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = RefreshFromAccountAsync;
                // The Api answers in problem details, never with a redirect to a page.
                o.Events.OnRedirectToLogin = c => IsApi(c.Request)
                    ? ProblemResponses.Write(c.HttpContext, 401, "Authentication required", "Sign in again: the web session has ended.")
                    : Redirect(c);
                o.Events.OnRedirectToAccessDenied = c => IsApi(c.Request)
                    ? ProblemResponses.Write(c.HttpContext, 403, "Forbidden", "Your roles do not allow this.")
                    : Redirect(c);
            });

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> c)
    {
        c.Response.Redirect(c.RedirectUri);
        return Task.CompletedTask;
    }

    private static bool IsApi(HttpRequest r) => r.Path.StartsWithSegments("/api") || r.Path.StartsWithSegments("/openapi");

    private static string SchemeFor(HttpContext context)
    {
        var r = context.Request;
        if (r.Headers.Authorization.Count > 0 || r.Headers.ContainsKey("X-Api-Key")) return ApiKeyAuthentication.SchemeName;
        if (IsApi(r)) return r.Headers.ContainsKey(WebHeader) ? CookieScheme : ApiKeyAuthentication.SchemeName;
        return CookieScheme;
    }

    /// <summary>The claims the API-key handler gives, so that every endpoint sees the same actor either way.</summary>
    public static ClaimsPrincipal Principal(UserAccount account) =>
        new(new ClaimsIdentity(
            new[] { new Claim(ApiKeyAuthentication.UserIdClaim, account.Id.ToString()), new Claim(ClaimTypes.Name, account.UserName),
                    new Claim(PrintedNameClaim, account.PrintedName), new Claim(PasswordStampClaim, PasswordStamp(account)) }
                .Concat(account.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToString()))),
            CookieScheme));

    public const string PrintedNameClaim = "ai4h:printed-name";

    /// <summary>Which password the session was opened with: a session opened before a password change ends with it.</summary>
    public const string PasswordStampClaim = "ai4h:password-stamp";

    /// <summary>Derived from the stored hash (never the hash itself), new with every password set, even to the same password.</summary>
    private static string PasswordStamp(UserAccount account) =>
        account.Password is { } hash ? Sha256.Hex(System.Text.Encoding.UTF8.GetBytes(hash.SaltBase64 + hash.HashBase64))[..16] : "";

    /// <summary>
    /// Every request re-reads the account: roles changed by an administrator apply at once, and a session of an account
    /// that no longer exists, has no password or has changed its password since the session began ends.
    /// </summary>
    private static async Task RefreshFromAccountAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(ApiKeyAuthentication.UserIdClaim);
        var store = context.HttpContext.RequestServices.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var account = Guid.TryParse(id, out var userId) ? await session.LoadAsync<UserAccount>(userId, context.HttpContext.RequestAborted) : null;
        // No password any more, or a different one from the one the session was opened with: the session ends.
        if (account?.Password is null || context.Principal?.FindFirstValue(PasswordStampClaim) != PasswordStamp(account))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }
        context.ReplacePrincipal(Principal(account));
    }
}
