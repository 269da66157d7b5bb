using System.Security.Cryptography;
using System.Text;
using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Domain.Identity;

/// <summary>
/// API keys look like <c>ai4h_{user id, 32 hex}_{key id, 32 hex}_{secret, 64 hex}</c>. The ids let the
/// server find the account without a search; only SHA-256(secret) is stored. A fast hash is enough here because
/// the secret is 256 random bits, not a human password (docs/decisions/0003-api-keys.md).
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "ai4h";

    public sealed record NewKey(string PlainText, ApiKeyIssued Issued)
    {
        // Records print every property; neither the key nor its hash may reach a log by way of ToString.
        public override string ToString() => $"NewKey {{ UserId = {Issued.UserId}, KeyId = {Issued.KeyId} }}";
    }

    public static NewKey Issue(Guid userId, string label)
    {
        var keyId = Guid.NewGuid();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var plain = $"{Prefix}_{userId:N}_{keyId:N}_{secret}";
        return new NewKey(plain, new ApiKeyIssued(userId, keyId, HashSecret(secret), label));
    }

    public sealed record ParsedKey(Guid UserId, Guid KeyId, string Secret)
    {
        public override string ToString() => $"ParsedKey {{ UserId = {UserId}, KeyId = {KeyId} }}";
    }

    public static ParsedKey? Parse(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 200) return null;
        var parts = presented.Split('_');
        if (parts.Length != 4 || parts[0] != Prefix) return null;
        if (!Guid.TryParseExact(parts[1], "N", out var userId) || !Guid.TryParseExact(parts[2], "N", out var keyId))
            return null;
        return parts[3].Length != 64 ? null : new ParsedKey(userId, keyId, parts[3]);
    }

    /// <summary>True when <paramref name="presented"/> is a live key of <paramref name="account"/>.</summary>
    public static bool Matches(UserAccount account, ParsedKey presented)
    {
        var entry = account.ApiKeys.FirstOrDefault(k => k.KeyId == presented.KeyId);
        if (entry is null || entry.Revoked || account.Id != presented.UserId) return false;
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(HashSecret(presented.Secret)),
            Encoding.ASCII.GetBytes(entry.SecretSha256));
    }

    private static string HashSecret(string secret) => Sha256.Hex(Encoding.UTF8.GetBytes(secret));
}
