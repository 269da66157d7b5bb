using System.Security.Cryptography;

namespace Ai4h.Audit.Domain.Record;

/// <summary>Lower-case hex SHA-256, the one hash spelling used across the record.</summary>
public static class Sha256
{
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static bool IsHex(string? value) =>
        value is { Length: 64 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
