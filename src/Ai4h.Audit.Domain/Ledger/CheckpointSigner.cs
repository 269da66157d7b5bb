using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>Signs checkpoints as C2SP signed notes with one Ed25519 key.</summary>
public sealed class CheckpointSigner
{
    private const string SignerKeyPrefix = "PRIVATE+KEY+";
    private readonly Ed25519PrivateKeyParameters _key;
    private readonly byte[] _seed;

    public CheckpointSigner(string keyName, byte[] privateSeed32)
    {
        NoteVerifierKey.CheckName(keyName);
        if (privateSeed32 is not { Length: 32 }) throw new ArgumentException("An Ed25519 private seed has 32 bytes.", nameof(privateSeed32));
        _seed = (byte[])privateSeed32.Clone();
        _key = new Ed25519PrivateKeyParameters(_seed);
        KeyName = keyName;
        Verifier = NoteVerifierKey.Create(keyName, _key.GeneratePublicKey().GetEncoded());
    }

    public string KeyName { get; }

    /// <summary>The parsed form of <see cref="VerifierKey"/>.</summary>
    public NoteVerifierKey Verifier { get; }

    /// <summary>The C2SP vkey that verifies this signer's notes: "name+hex8keyhash+base64(0x01 ‖ public key)". Safe to publish.</summary>
    public string VerifierKey => Verifier.ToString();

    public byte[] PublicKey => (byte[])Verifier.PublicKey.Clone();

    /// <summary>The 32-byte private seed in base64, for configuration. Secret.</summary>
    public string PrivateSeedBase64 => Convert.ToBase64String(_seed);

    /// <summary>A new random key.</summary>
    public static CheckpointSigner Generate(string keyName) => new(keyName, RandomNumberGenerator.GetBytes(32));

    /// <summary>A signer from a base64 seed (<see cref="PrivateSeedBase64"/>), e.g. read from a secret store.</summary>
    public static CheckpointSigner FromBase64Seed(string keyName, string seedBase64)
    {
        byte[] seed;
        try { seed = Convert.FromBase64String(seedBase64.Trim()); }
        catch (FormatException) { throw new FormatException("The checkpoint signing seed is not base64."); }
        if (seed.Length != 32) throw new FormatException($"The checkpoint signing seed has {seed.Length} bytes; Ed25519 needs 32.");
        return new CheckpointSigner(keyName, seed);
    }

    /// <summary>The whole secret key as one string in the Go note format: "PRIVATE+KEY+name+hex8+base64(0x01 ‖ seed)". Secret.</summary>
    public string ToSignerKey() =>
        $"{SignerKeyPrefix}{KeyName}+{Verifier.KeyId:x8}+{Convert.ToBase64String([NoteVerifierKey.Ed25519Type, .. _seed])}";

    /// <summary>Parses <see cref="ToSignerKey"/>'s format, checking the key ID.</summary>
    public static CheckpointSigner FromSignerKey(string signerKey)
    {
        var text = signerKey.Trim();
        if (!text.StartsWith(SignerKeyPrefix, StringComparison.Ordinal))
            throw new FormatException("A signer key starts with 'PRIVATE+KEY+'.");
        var parts = text[SignerKeyPrefix.Length..].Split('+', 3); // base64 may contain '+'
        if (parts.Length != 3) throw new FormatException("A signer key reads 'PRIVATE+KEY+name+keyid+base64'.");
        byte[] blob;
        try { blob = Convert.FromBase64String(parts[2]); }
        catch (FormatException) { throw new FormatException("The signer key's secret is not base64."); }
        if (blob.Length != 33 || blob[0] != NoteVerifierKey.Ed25519Type) throw new FormatException("The signer key is not an Ed25519 key.");
        var signer = new CheckpointSigner(parts[0], blob[1..]);
        if (!string.Equals(parts[1], signer.Verifier.KeyId.ToString("x8"), StringComparison.OrdinalIgnoreCase))
            throw new FormatException("The signer key's ID does not match its name and key.");
        return signer;
    }

    /// <summary>The full signed note: the checkpoint body, a blank line, and "— keyName base64(key ID ‖ signature)".</summary>
    public string Sign(Checkpoint checkpoint) => SignedNote.Sign(checkpoint.Body(), KeyName, _key);

    public override string ToString() => $"CheckpointSigner({VerifierKey})";
}
