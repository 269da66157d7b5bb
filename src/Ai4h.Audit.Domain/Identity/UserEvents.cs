namespace Ai4h.Audit.Domain.Identity;

/// <summary>A person was given an account. <paramref name="PrintedName"/> is the name shown with their signatures.</summary>
public sealed record UserRegistered(
    Guid UserId,
    string UserName,
    string PrintedName,
    string? Organisation,
    IReadOnlyList<Role> Roles);

/// <summary>An API key was issued. Only the SHA-256 of the secret is recorded, never the secret.</summary>
public sealed record ApiKeyIssued(Guid UserId, Guid KeyId, string SecretSha256, string Label);

/// <summary>An API key was withdrawn; it no longer authenticates.</summary>
public sealed record ApiKeyRevoked(Guid UserId, Guid KeyId);

/// <summary>An authenticated user asked for something their roles do not allow (a security event).</summary>
public sealed record AccessRefused(Guid UserId, string Method, string Path, IReadOnlyList<Role> RequiredAnyOf);

/// <summary>A user set or changed their password. Only the PBKDF2 hash is recorded (<see cref="Passwords"/>), never the password.</summary>
public sealed record PasswordSet(Guid UserId, PasswordHash Hash);

/// <summary>A re-authentication (user name and password, as before an electronic signature) failed (a security event).</summary>
public sealed record ReauthenticationFailed(Guid UserId, string Purpose);

/// <summary>
/// A re-authentication succeeded after failures, which it forgives. Appended only when there were failures to
/// forgive: a signature is itself the record of a successful re-authentication.
/// </summary>
public sealed record ReauthenticationSucceeded(Guid UserId, string Purpose);

/// <summary>Too many re-authentications failed: the user cannot sign (nor re-authenticate) until <paramref name="Until"/>.</summary>
public sealed record SigningLocked(Guid UserId, DateTimeOffset Until, int Failures);
