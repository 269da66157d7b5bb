namespace Ai4h.Audit.Domain.Identity;

/// <summary>An API key as the account remembers it: the hash of the secret, never the secret.</summary>
public sealed record ApiKeyEntry(Guid KeyId, string SecretSha256, string Label, bool Revoked)
{
    public override string ToString() => $"ApiKeyEntry {{ KeyId = {KeyId}, Label = {Label}, Revoked = {Revoked} }}";
}

/// <summary>
/// A user account, rebuilt from its events (kept inline so that every request can authenticate).
/// <paramref name="SigningFailures"/> counts failed re-authentications since the last success, lock or new password.
/// </summary>
public sealed record UserAccount(
    Guid Id,
    string UserName,
    string PrintedName,
    string? Organisation,
    IReadOnlyList<Role> Roles,
    IReadOnlyList<ApiKeyEntry> ApiKeys,
    int RefusalCount,
    PasswordHash? Password = null,
    int SigningFailures = 0,
    DateTimeOffset? SigningLockedUntil = null)
{
    public static UserAccount Create(UserRegistered e) =>
        new(e.UserId, e.UserName, e.PrintedName, e.Organisation, e.Roles, [], 0);

    // Failures against the old password say nothing about the new one.
    public UserAccount Apply(PasswordSet e) => this with { Password = e.Hash, SigningFailures = 0 };

    public UserAccount Apply(ReauthenticationFailed _) => this with { SigningFailures = SigningFailures + 1 };

    public UserAccount Apply(ReauthenticationSucceeded _) => this with { SigningFailures = 0 };

    // The lock takes over from the failures that caused it; after it ends the user starts afresh.
    public UserAccount Apply(SigningLocked e) => this with { SigningLockedUntil = e.Until, SigningFailures = 0 };

    public UserAccount Apply(ApiKeyIssued e) =>
        this with { ApiKeys = [.. ApiKeys, new ApiKeyEntry(e.KeyId, e.SecretSha256, e.Label, false)] };

    public UserAccount Apply(ApiKeyRevoked e) =>
        this with { ApiKeys = [.. ApiKeys.Select(k => k.KeyId == e.KeyId ? k with { Revoked = true } : k)] };

    public UserAccount Apply(AccessRefused _) => this with { RefusalCount = RefusalCount + 1 };

    public bool HasAnyRole(IEnumerable<Role> roles) => roles.Any(Roles.Contains);
}
