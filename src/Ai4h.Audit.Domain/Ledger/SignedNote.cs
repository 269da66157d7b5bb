using System.Buffers.Binary;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>Why a signed note was refused.</summary>
public enum NoteProblem
{
    /// <summary>The note or the key is not in the C2SP format.</summary>
    Malformed,

    /// <summary>No signature line comes from the expected key (name and key ID): signed by someone else, or not at all.</summary>
    WrongKey,

    /// <summary>A signature line names the expected key but the signature does not verify: the text or signature was altered.</summary>
    BadSignature,
}

/// <summary>A signed note or checkpoint that failed verification, with the reason.</summary>
public sealed class NoteVerificationException(NoteProblem problem, string message) : Exception(message)
{
    public NoteProblem Problem { get; } = problem;
}

/// <summary>C2SP signed-note (c2sp.org/signed-note) signing and verification with Ed25519.</summary>
public static class SignedNote
{
    private const string Dash = "\u2014 ";
    private const int MaxSignatures = 100;

    /// <summary>Signs <paramref name="text"/> (which must end in a newline) and returns the full note.</summary>
    public static string Sign(string text, string keyName, Ed25519PrivateKeyParameters key)
    {
        CheckText(text);
        NoteVerifierKey.CheckName(keyName);
        var publicKey = key.GeneratePublicKey().GetEncoded();
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        var message = Encoding.UTF8.GetBytes(text);
        signer.BlockUpdate(message, 0, message.Length);
        var signature = signer.GenerateSignature();

        var line = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(line, NoteVerifierKey.ComputeKeyId(keyName, publicKey));
        signature.CopyTo(line, 4);
        return $"{text}\n{Dash}{keyName} {Convert.ToBase64String(line)}\n";
    }

    /// <summary>Returns the note text if a signature by <paramref name="key"/> verifies; otherwise throws <see cref="NoteVerificationException"/>.</summary>
    public static string Verify(string note, NoteVerifierKey key)
    {
        if (note.Any(c => char.IsControl(c) && c != '\n'))
            throw Malformed("the note contains control characters other than newline (for example carriage returns)");
        if (!note.EndsWith('\n')) throw Malformed("the note does not end with a newline");
        // The text ends at the last blank line; the signature lines follow it.
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) throw Malformed("there is no blank line between the text and the signatures");
        var text = note[..(split + 1)];
        var lines = note[(split + 2)..^1].Split('\n');
        if (lines.Length > MaxSignatures) throw Malformed($"more than {MaxSignatures} signature lines");

        var message = Encoding.UTF8.GetBytes(text);
        var foundOurs = false;
        foreach (var line in lines)
        {
            if (!line.StartsWith(Dash, StringComparison.Ordinal)) throw Malformed($"'{line}' is not a signature line ('— name signature')");
            var parts = line[Dash.Length..].Split(' ');
            if (parts.Length != 2) throw Malformed($"'{line}' is not a signature line ('— name signature')");
            byte[] blob;
            try { blob = Convert.FromBase64String(parts[1]); }
            catch (FormatException) { throw Malformed($"the signature of '{parts[0]}' is not base64"); }
            if (blob.Length < 5) throw Malformed($"the signature of '{parts[0]}' is too short");
            // C2SP: ignore signatures from unknown keys; a key is known by name AND key ID together.
            if (parts[0] != key.Name || BinaryPrimitives.ReadUInt32BigEndian(blob) != key.KeyId) continue;
            foundOurs = true;
            if (blob.Length != 4 + 64 || !VerifyEd25519(key.PublicKey, message, blob.AsSpan(4).ToArray()))
                throw new NoteVerificationException(NoteProblem.BadSignature,
                    $"The signature by key '{key.Name}' ({key.KeyId:x8}) does not verify: the signed text or the signature has been altered.");
        }
        if (!foundOurs)
            throw new NoteVerificationException(NoteProblem.WrongKey,
                $"The note carries no signature by the expected key '{key.Name}' ({key.KeyId:x8}); it was signed by: "
                + string.Join(", ", lines.Select(l => l[Dash.Length..].Split(' ')[0])) + ".");
        return text;
    }

    /// <summary>Plain Ed25519 verification (RFC 8032); false for a malformed key or signature.</summary>
    public static bool VerifyEd25519(byte[] publicKey, byte[] message, byte[] signature)
    {
        Ed25519PublicKeyParameters parameters;
        try { parameters = new Ed25519PublicKeyParameters(publicKey); }
        catch (ArgumentException) { return false; }
        var verifier = new Ed25519Signer();
        verifier.Init(false, parameters);
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature);
    }

    private static void CheckText(string text)
    {
        if (!text.EndsWith('\n')) throw new ArgumentException("A note text ends with a newline.", nameof(text));
        if (text.Any(c => char.IsControl(c) && c != '\n')) throw new ArgumentException("A note text has no control characters but newline.", nameof(text));
    }

    private static NoteVerificationException Malformed(string why) => new(NoteProblem.Malformed, $"The signed note is malformed: {why}.");
}
