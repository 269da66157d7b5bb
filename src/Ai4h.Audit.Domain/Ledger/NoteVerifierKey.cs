using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>A C2SP signed-note Ed25519 verifier key: "name+hex(key ID)+base64(0x01 ‖ public key)".</summary>
public sealed class NoteVerifierKey
{
    /// <summary>The C2SP signature type byte for Ed25519.</summary>
    public const byte Ed25519Type = 0x01;

    private NoteVerifierKey(string name, uint keyId, byte[] publicKey)
    {
        Name = name;
        KeyId = keyId;
        PublicKey = publicKey;
    }

    public string Name { get; }

    public uint KeyId { get; }

    public byte[] PublicKey { get; }

    public static NoteVerifierKey Create(string name, byte[] publicKey)
    {
        CheckName(name);
        if (publicKey is not { Length: 32 }) throw new ArgumentException("An Ed25519 public key has 32 bytes.", nameof(publicKey));
        return new NoteVerifierKey(name, ComputeKeyId(name, publicKey), (byte[])publicKey.Clone());
    }

    /// <summary>Parses a vkey; the key ID must match the name and key, as the Go reference (golang.org/x/mod/sumdb/note) insists.</summary>
    public static NoteVerifierKey Parse(string vkey)
    {
        // Only the first two '+' separate parts: base64 uses '+' too.
        var parts = vkey.Trim().Split('+', 3);
        if (parts.Length != 3)
            throw new FormatException("A verifier key has three parts separated by '+': name, key ID (8 hex digits), base64 key.");
        if (parts[1].Length != 8 || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
            throw new FormatException("The verifier key's ID is not 8 hexadecimal digits.");
        byte[] key;
        try { key = Convert.FromBase64String(parts[2]); }
        catch (FormatException) { throw new FormatException("The verifier key's public key is not base64."); }
        if (key.Length != 33 || key[0] != Ed25519Type)
            throw new FormatException("The verifier key is not an Ed25519 key (type byte 0x01 followed by 32 bytes).");
        var parsed = Create(parts[0], key[1..]);
        if (parsed.KeyId != id)
            throw new FormatException($"The verifier key's ID {parts[1]} does not match its name and public key (expected {parsed.KeyId:x8}).");
        return parsed;
    }

    /// <summary>SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], big-endian.</summary>
    public static uint ComputeKeyId(string name, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = Ed25519Type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    /// <summary>C2SP: a key name is non-empty and has no Unicode spaces and no '+'.</summary>
    public static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '+'))
            throw new ArgumentException($"'{name}' is not a valid key name: it must be non-empty, without spaces or '+'.", nameof(name));
    }

    public override string ToString() =>
        $"{Name}+{KeyId:x8}+{Convert.ToBase64String([Ed25519Type, .. PublicKey])}";
}
