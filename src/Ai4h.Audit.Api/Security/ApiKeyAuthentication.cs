using System.Security.Claims;
using System.Text.Encodings.Web;
using Ai4h.Audit.Domain.Identity;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Ai4h.Audit.Api.Security;

/// <summary>
/// Authenticates a request from its API key (<c>Authorization: Bearer ai4h_…</c> or <c>X-Api-Key</c>) against the
/// user accounts in the record. A wrong, revoked or missing key is a 401.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDocumentStore store)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string UserIdClaim = "ai4h:user-id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null) return AuthenticateResult.NoResult();

        var key = ApiKeys.Parse(presented);
        if (key is null) return AuthenticateResult.Fail("The API key is malformed.");

        await using var session = store.QuerySession();
        var account = await session.LoadAsync<UserAccount>(key.UserId, Context.RequestAborted);
        if (account is null || !ApiKeys.Matches(account, key)) return AuthenticateResult.Fail("The API key is not valid.");

        var claims = new List<Claim>
        {
            new(UserIdClaim, account.Id.ToString()),
            new(ClaimTypes.Name, account.UserName),
        };
        claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ProblemResponses.Write(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            "Send a valid API key as 'Authorization: Bearer <key>' or in the 'X-Api-Key' header.");

    private static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        var apiKey = request.Headers["X-Api-Key"].ToString();
        return apiKey.Length > 0 ? apiKey.Trim() : null;
    }
}
