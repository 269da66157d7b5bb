using Ai4h.Audit.Domain.Ledger;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>Checkpoints signed as C2SP signed notes: round trip, and every kind of forgery refused with the right reason.</summary>
public sealed class LedgerCheckpointTests
{
    private static readonly byte[] Seed = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly CheckpointSigner Signer = new("ai4h.example/ledger", Seed);
    private static readonly Checkpoint Checkpoint = new("ai4h.example/ledger", 42, Rfc6962.LeafHash([1, 2, 3]));

    private static NoteProblem ProblemOf(string note, string? key = null) =>
        Should.Throw<NoteVerificationException>(() => CheckpointNote.Verify(note, key ?? Signer.VerifierKey)).Problem;

    [Fact]
    public void a_signed_checkpoint_verifies_and_parses_back()
    {
        var note = Signer.Sign(Checkpoint);
        note.ShouldStartWith(Checkpoint.Body() + "\n\u2014 ai4h.example/ledger ");
        note.Split('\n').Length.ShouldBe(6); // origin, size, root, blank, signature, and the final newline
        CheckpointNote.Verify(note, Signer.VerifierKey).ShouldBe(Checkpoint);
        CheckpointNote.TryVerify(note, Signer.VerifierKey, out var parsed, out var problem).ShouldBeTrue();
        parsed.ShouldBe(Checkpoint);
        problem.ShouldBeNull();
    }

    [Fact]
    public void the_verifier_key_follows_the_c2sp_format()
    {
        var parts = Signer.VerifierKey.Split('+', 3);
        parts[0].ShouldBe("ai4h.example/ledger");
        parts[1].ShouldMatch("^[0-9a-f]{8}$");
        var keyId = System.Security.Cryptography.SHA256.HashData([.. "ai4h.example/ledger\n"u8, 0x01, .. Signer.PublicKey]);
        parts[1].ShouldBe(Convert.ToHexStringLower(keyId[..4]));
        Convert.FromBase64String(parts[2]).ShouldBe([0x01, .. Signer.PublicKey]);
        NoteVerifierKey.Parse(Signer.VerifierKey).ToString().ShouldBe(Signer.VerifierKey);
    }

    [Fact]
    public void a_changed_body_fails_as_a_bad_signature()
    {
        var note = Signer.Sign(Checkpoint);
        ProblemOf(note.Replace("\n42\n", "\n43\n")).ShouldBe(NoteProblem.BadSignature);
        ProblemOf(note.Replace(Checkpoint.Body(), new Checkpoint(Checkpoint.Origin, 42, Rfc6962.EmptyRoot).Body())).ShouldBe(NoteProblem.BadSignature);
        Signer.Sign(Checkpoint).ShouldBe(note); // Ed25519 is deterministic: same key and text, same note
    }

    [Fact]
    public void another_key_fails_as_the_wrong_key()
    {
        var impostor = CheckpointSigner.Generate("ai4h.example/ledger");
        ProblemOf(impostor.Sign(Checkpoint)).ShouldBe(NoteProblem.WrongKey);
        var renamed = new CheckpointSigner("attacker.example/ledger", Seed);
        ProblemOf(renamed.Sign(Checkpoint)).ShouldBe(NoteProblem.WrongKey);
        ProblemOf(Signer.Sign(Checkpoint), impostor.VerifierKey).ShouldBe(NoteProblem.WrongKey);
    }

    [Fact]
    public void a_truncated_or_mangled_signature_fails()
    {
        var note = Signer.Sign(Checkpoint);
        var lastLine = note.TrimEnd('\n').Split('\n')[^1];
        var signature = lastLine.Split(' ')[^1];
        var blob = Convert.FromBase64String(signature);
        var truncated = note.Replace(signature, Convert.ToBase64String(blob[..^1]));
        ProblemOf(truncated).ShouldBe(NoteProblem.BadSignature);
        blob[10] ^= 1;
        ProblemOf(note.Replace(signature, Convert.ToBase64String(blob))).ShouldBe(NoteProblem.BadSignature);
        ProblemOf(note.Replace(signature, "not base64!")).ShouldBe(NoteProblem.Malformed);
        ProblemOf(note[..^1]).ShouldBe(NoteProblem.Malformed);
        ProblemOf(Checkpoint.Body()).ShouldBe(NoteProblem.Malformed);
        ProblemOf(note.Replace("\n", "\r\n")).ShouldBe(NoteProblem.Malformed);
        ProblemOf(note, "not a key").ShouldBe(NoteProblem.Malformed);
    }

    [Fact]
    public void a_signed_text_that_is_not_a_checkpoint_is_refused()
    {
        var note = SignedNote.Sign("only one line\n", Signer.KeyName, new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(Seed));
        ProblemOf(note).ShouldBe(NoteProblem.Malformed);
        Should.Throw<FormatException>(() => Checkpoint.Parse("o\n042\nAAAA\n"));
    }

    [Fact]
    public void keys_round_trip_through_configuration_strings()
    {
        var generated = CheckpointSigner.Generate("ai4h.example/ledger");
        CheckpointSigner.FromBase64Seed(generated.KeyName, generated.PrivateSeedBase64).VerifierKey.ShouldBe(generated.VerifierKey);
        var signerKey = generated.ToSignerKey();
        signerKey.ShouldStartWith("PRIVATE+KEY+ai4h.example/ledger+");
        CheckpointSigner.FromSignerKey(signerKey).VerifierKey.ShouldBe(generated.VerifierKey);
        generated.ToString().ShouldNotContain(generated.PrivateSeedBase64);
        Should.Throw<ArgumentException>(() => CheckpointSigner.Generate("has space"));
        Should.Throw<ArgumentException>(() => CheckpointSigner.Generate("has+plus"));
        Should.Throw<FormatException>(() => CheckpointSigner.FromBase64Seed("k", Convert.ToBase64String(new byte[31])));
    }
}
