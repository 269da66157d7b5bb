using Ai4h.Audit.Domain.Identity;

namespace Ai4h.Audit.Api.Security;

/// <summary>When failed re-authentications lock a user's signing (configuration section <c>Ai4h:SigningSecurity</c>).</summary>
public sealed class SigningSecurity
{
    public const string Section = "Ai4h:SigningSecurity";

    /// <summary>Failures within <see cref="Window"/> (since the last success, lock or new password) that lock signing.</summary>
    public int MaxFailures { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan LockFor { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>How new passwords are hashed (configuration section <c>Ai4h:Passwords</c>).</summary>
public sealed class PasswordSettings
{
    public const string Section = "Ai4h:Passwords";

    /// <summary>
    /// PBKDF2 iterations for new hashes; each stored hash keeps its own count, so raising this never breaks old ones.
    /// Production refuses to start below <see cref="Passwords.MinimumProductionIterations"/>; tests go lower for speed.
    /// </summary>
    public int Iterations { get; set; } = Passwords.DefaultIterations;
}
