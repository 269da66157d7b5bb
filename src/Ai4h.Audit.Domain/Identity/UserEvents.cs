namespace Ai4h.Audit.Domain.Identity;

/// <summary>A person was given an account. <paramref name="PrintedName"/> is the name shown with their signatures.</summary>
public sealed record UserRegistered(
    Guid UserId,
    string UserName,
    string PrintedName,
    string? Organisation,
    IReadOnlyList<Role> Roles);

/// <summary>An API key was issued. Only the SHA-256 of the secret is recorded, never the secret.</summary>
public sealed record ApiKeyIssued(Guid UserId, Guid KeyId, string SecretSha256, string Label)
{
    // Records print every property; the hash must not reach a log by way of ToString (the stored JSON keeps it).
    public override string ToString() => $"ApiKeyIssued {{ UserId = {UserId}, KeyId = {KeyId}, Label = {Label} }}";
}

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

/// <summary>
/// A user asked for more password checks (re-authentication, signing, password change) than the rate limit allows, and
/// was answered 429 without the password being tried (a security event). Appended once per throttling period, not per
/// refused request.
/// </summary>
public sealed record PasswordChecksThrottled(Guid UserId, string Method, string Path);

/// <summary>A user signed in to the web application with their password: a session began (<paramref name="Channel"/> "web").</summary>
public sealed record SignedIn(Guid UserId, string Channel);

/// <summary>A user ended their web session by signing out. (A session ends unrecorded when it expires or the password changes.)</summary>
public sealed record SignedOut(Guid UserId, string Channel);
