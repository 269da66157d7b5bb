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
