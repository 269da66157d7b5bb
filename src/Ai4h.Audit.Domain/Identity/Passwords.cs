using System.Security.Cryptography;
using System.Text;
using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Domain.Identity;

/// <summary>A stored password: PBKDF2 parameters and output, never the password. Iterations travel with the hash.</summary>
public sealed record PasswordHash(string Algorithm, int Iterations, string SaltBase64, string HashBase64)
{
    // Records print every property; the salt and hash must not reach a log by way of ToString.
    public override string ToString() => $"PasswordHash {{ Algorithm = {Algorithm}, Iterations = {Iterations} }}";
}

/// <summary>
/// Passwords for re-authentication before an electronic signature (21 CFR 11.200): PBKDF2-HMAC-SHA256, 16-byte
/// random salt, 32-byte output, compared in constant time (docs/decisions/0006-passwords.md).
/// </summary>
public static class Passwords
{
    public const string Algorithm = "PBKDF2-HMAC-SHA256";

    /// <summary>OWASP Password Storage Cheat Sheet (2023) for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The least a production configuration may use; only tests go lower, for speed.</summary>
    public const int MinimumProductionIterations = 100_000;

    public const int MinLength = 12;
    public const int MaxLength = 256;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static PasswordHash Hash(string password, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, iterations, HashBytes);
        return new PasswordHash(Algorithm, iterations, Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(PasswordHash stored, string password)
    {
        if (stored.Algorithm != Algorithm)
            throw new NotSupportedException($"Unknown password algorithm '{stored.Algorithm}'.");
        var expected = Convert.FromBase64String(stored.HashBase64);
        var actual = Derive(password, Convert.FromBase64String(stored.SaltBase64), stored.Iterations, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Refuses a new password that breaks a rule, naming the rule (never the password).</summary>
    public static void Check(string password, string userName)
    {
        // A lone surrogate would be hashed as U+FFFD, so two different passwords would be the same one.
        if (!IsValidText(password)) throw Rejected("must be valid Unicode text");
        // Lengths count Unicode code points, as NIST SP 800-63B asks, not UTF-16 units.
        var characters = password.EnumerateRunes().ToList();
        if (characters.Count < MinLength) throw Rejected($"must be at least {MinLength} characters");
        if (characters.Count > MaxLength) throw Rejected($"must be at most {MaxLength} characters");
        if (userName.Length > 0 && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
            throw Rejected("must not contain the user name");
        if (characters.Distinct().Count() == 1) throw Rejected("must not be one character repeated");
    }

    private static DecisionRejected Rejected(string rule) => DecisionRejected.Invalid("password", rule);

    private static byte[] Derive(string password, byte[] salt, int iterations, int length) =>
        // No Unicode normalisation: the processes run with InvariantGlobalization, where String.Normalize leaves
        // non-ASCII text as it is, and a hash must not depend on a globalisation setting someone may change later.
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, length);

    private static bool IsValidText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return false;
        }
        return true;
    }
}
