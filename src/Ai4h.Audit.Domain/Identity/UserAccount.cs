namespace Ai4h.Audit.Domain.Identity;

/// <summary>An API key as the account remembers it: the hash of the secret, never the secret.</summary>
public sealed record ApiKeyEntry(Guid KeyId, string SecretSha256, string Label, bool Revoked);

/// <summary>A user account, rebuilt from its events (kept inline so that every request can authenticate).</summary>
public sealed record UserAccount(
    Guid Id,
    string UserName,
    string PrintedName,
    string? Organisation,
    IReadOnlyList<Role> Roles,
    IReadOnlyList<ApiKeyEntry> ApiKeys,
    int RefusalCount)
{
    public static UserAccount Create(UserRegistered e) =>
        new(e.UserId, e.UserName, e.PrintedName, e.Organisation, e.Roles, [], 0);

    public UserAccount Apply(ApiKeyIssued e) =>
        this with { ApiKeys = [.. ApiKeys, new ApiKeyEntry(e.KeyId, e.SecretSha256, e.Label, false)] };

    public UserAccount Apply(ApiKeyRevoked e) =>
        this with { ApiKeys = [.. ApiKeys.Select(k => k.KeyId == e.KeyId ? k with { Revoked = true } : k)] };

    public UserAccount Apply(AccessRefused _) => this with { RefusalCount = RefusalCount + 1 };

    public bool HasAnyRole(IEnumerable<Role> roles) => roles.Any(Roles.Contains);
}
