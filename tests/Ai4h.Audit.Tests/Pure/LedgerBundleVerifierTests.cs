using Ai4h.Audit.Domain.Ledger;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>The offline verifier: a faithful bundle passes; every kind of tampering fails and names the sequence.</summary>
public sealed class LedgerBundleVerifierTests
{
    private const string Origin = "ai4h.example/ledger";
    private static readonly CheckpointSigner Signer = new(Origin, Enumerable.Repeat((byte)7, 32).ToArray());
    private static readonly Guid Stream = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

    // Sequences 1..20; 6 and 13 were rolled back and are voids.
    private static List<LedgerBundleEntry> Entries(int count = 20) =>
        Enumerable.Range(1, count).Select(s => s is 6 or 13
            ? LedgerBundleEntry.ForVoid(s)
            : LedgerBundleEntry.ForEvent(s, Stream, s, s % 2 == 0 ? "ReviewSigned" : "ModelSubmitted",
                new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero).AddTicks(s * 1_234_567L), "alice@ai4h.example",
                $$"""{"score": {{s}}, "note": "é"}""", Guid.Parse($"00000000-0000-0000-0000-{s:d12}"))).ToList();

    private static (LedgerBundle Bundle, MerkleLog Log) Make(int count = 20)
    {
        var entries = Entries(count);
        var log = new MerkleLog();
        foreach (var e in entries) log.Append(e.ToLeaf().Hash);
        var bundle = new LedgerBundle
        {
            Origin = Origin,
            Checkpoint = Signer.Sign(new Checkpoint(Origin, log.Size, log.Root())),
            VerifierKey = Signer.VerifierKey,
            Entries = entries,
            LeafHashes = Enumerable.Range(0, count).Select(i => Convert.ToHexStringLower(log.LeafHash(i))).ToList(),
        };
        return (bundle, log);
    }

    private static LedgerBundle Good => Make().Bundle;

    private static VerificationReport Failing(LedgerBundle bundle, long? sequence, params string[] words)
    {
        var report = BundleVerifier.Verify(bundle, Signer.VerifierKey);
        report.Ok.ShouldBeFalse();
        report.FirstBadSequence.ShouldBe(sequence, report.Message);
        foreach (var w in words) report.Message.ShouldContain(w, Case.Insensitive);
        return report;
    }

    private static LedgerBundle WithEntries(LedgerBundle b, Action<List<LedgerBundleEntry>> change)
    {
        var entries = b.Entries.ToList();
        change(entries);
        return b with { Entries = entries };
    }

    [Fact]
    public void a_faithful_bundle_verifies_with_the_trusted_key_and_survives_json()
    {
        var bundle = LedgerBundle.Parse(Good.ToJson());
        var report = BundleVerifier.Verify(bundle, Signer.VerifierKey);
        report.Ok.ShouldBeTrue(report.Message);
        report.CheckedEntries.ShouldBe(20);
        report.TreeSize.ShouldBe(20);
        report.RootHex.ShouldBe(Convert.ToHexStringLower(Make().Log.Root()));
        report.UsedTrustedKey.ShouldBeTrue();
        report.Message.ShouldContain("trusted verifier key");
        Good.ToJson().ShouldContain("\"void\": true");
        Good.ToJson().ShouldNotContain("isVoid");
        Good.ToJson().ShouldContain("\"timestamp\": \"2025-03-01T09:00:00.123456Z\"");
    }

    [Fact]
    public void without_a_trusted_key_the_report_says_the_bundles_own_key_was_used()
    {
        var report = BundleVerifier.Verify(Good, null);
        report.Ok.ShouldBeTrue(report.Message);
        report.UsedTrustedKey.ShouldBeFalse();
        report.Message.ShouldContain("not independently trusted");
        BundleVerifier.Verify(Good with { LeafHashes = null }, null).Ok.ShouldBeTrue();
    }

    [Fact]
    public void changed_event_data_is_named()
    {
        var bundle = WithEntries(Good, e => e[8] = e[8] with { Data = """{"score": 99, "note": "é"}""" });
        Failing(bundle, 9, "sequence 9", "ModelSubmitted", "differs from what was signed");
        Failing(bundle with { LeafHashes = null }, null, "do not reproduce the signed root");
    }

    [Fact]
    public void a_deleted_event_is_named()
    {
        Failing(WithEntries(Good, e => e.RemoveAt(9)), 10, "Sequence 10 is missing", "deleted");
        Failing(WithEntries(Good, e => e.RemoveAt(19)), 20, "removed");
        Failing(WithEntries(Good with { LeafHashes = null }, e => e.RemoveAt(9)), null, "19 entries", "covers 20");
    }

    [Fact]
    public void an_inserted_event_is_named()
    {
        var forged = LedgerBundleEntry.ForEvent(11, Stream, 99, "ReviewSigned", DateTimeOffset.UnixEpoch, "mallory", "{}");
        Failing(WithEntries(Good, e => e.Insert(10, forged)), 11, "inserted", "sequence 11", "ReviewSigned");
        Failing(WithEntries(Good, e => e.Add(LedgerBundleEntry.ForVoid(21))), 21, "not in the signed log");
    }

    [Fact]
    public void reordered_events_are_named()
    {
        var swapped = WithEntries(Good, e => (e[4], e[7]) = (e[7], e[4]));
        Failing(swapped, 5, "out of order", "sequence 5", "sequence 8");
        // Without recorded leaf hashes the order check still catches it, at the first entry out of place.
        Failing(swapped with { LeafHashes = null }, 8, "strictly increase", "sequence 8");
    }

    [Fact]
    public void a_changed_void_or_relabelled_sequence_is_named()
    {
        Failing(WithEntries(Good, e => e[5] = Entries()[4] with { Sequence = 6 }), 6, "sequence 6");
        Failing(WithEntries(Good, e => e[12] = e[12] with { Void = null }), 13, "incomplete or malformed");
    }

    [Fact]
    public void a_forged_checkpoint_is_refused()
    {
        var impostor = CheckpointSigner.Generate(Origin);
        var (bundle, log) = Make();
        var forged = bundle with { Checkpoint = impostor.Sign(new Checkpoint(Origin, log.Size, log.Root())), VerifierKey = impostor.VerifierKey };
        Failing(forged, null, "not validly signed by the trusted verifier key", "no signature by the expected key");
        // With only the bundle's own key a forger can re-sign: this is why the published key must be pinned.
        BundleVerifier.Verify(forged, null).Ok.ShouldBeTrue();

        var otherOrigin = new CheckpointSigner("other.example/log", Enumerable.Repeat((byte)7, 32).ToArray());
        Failing(bundle with { Checkpoint = otherOrigin.Sign(new Checkpoint("other.example/log", log.Size, log.Root())) }, null, "not validly signed");
        Failing(bundle with { Origin = "elsewhere" }, null, "labelled for log 'elsewhere'");
    }

    [Fact]
    public void recorded_leaf_hashes_that_do_not_match_the_checkpoint_are_refused()
    {
        var hashes = Good.LeafHashes!.ToList();
        hashes[3] = new string('a', 64);
        Failing(Good with { LeafHashes = hashes }, null, "recorded leaf hashes", "altered");
        Failing(Good with { LeafHashes = hashes.Take(19).ToList() }, null, "recorded leaf hashes");
    }

    [Fact]
    public void consistency_with_a_previous_checkpoint_passes_and_a_fake_one_fails()
    {
        var (bundle, log) = Make();
        var previous = new LedgerBundlePrevious(Signer.Sign(new Checkpoint(Origin, 12, log.Root(12))),
            log.ConsistencyProof(12, 20).Select(Convert.ToHexStringLower).ToList());
        var report = BundleVerifier.Verify(bundle with { Previous = previous }, Signer.VerifierKey);
        report.Ok.ShouldBeTrue(report.Message);
        report.Message.ShouldContain("consistent with the earlier checkpoint");

        // A previous checkpoint of a different history (another entry at sequence 3), properly signed: the log was rewritten.
        var other = new MerkleLog();
        foreach (var e in Entries(12).Select((e, i) => i == 2 ? e with { Actor = "mallory" } : e)) other.Append(e.ToLeaf().Hash);
        var fake = new LedgerBundlePrevious(Signer.Sign(new Checkpoint(Origin, 12, other.Root())), previous.ConsistencyProof);
        Failing(bundle with { Previous = fake }, null, "consistency proof does not show", "rewritten");

        var badProof = previous with { ConsistencyProof = [.. previous.ConsistencyProof.Skip(1)] };
        Failing(bundle with { Previous = badProof }, null, "consistency proof");
        var unsigned = previous with { Checkpoint = CheckpointSigner.Generate(Origin).Sign(new Checkpoint(Origin, 12, log.Root(12))) };
        Failing(bundle with { Previous = unsigned }, null, "previous checkpoint is not validly signed");
        var larger = new LedgerBundlePrevious(Signer.Sign(new Checkpoint(Origin, 25, log.Root(20))), []);
        Failing(bundle with { Previous = larger }, null, "cut short");
    }

    [Fact]
    public void an_empty_log_verifies()
    {
        var empty = new LedgerBundle
        {
            Origin = Origin, Checkpoint = Signer.Sign(new Checkpoint(Origin, 0, Rfc6962.EmptyRoot)), VerifierKey = Signer.VerifierKey, Entries = [],
        };
        BundleVerifier.Verify(empty, Signer.VerifierKey).Ok.ShouldBeTrue();
    }

    [Fact]
    public void the_sample_bundle_in_the_docs_verifies_with_its_published_key()
    {
        var bundle = LedgerBundle.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "ledger-sample-bundle.json")));
        var report = BundleVerifier.Verify(bundle, "ai4h.example/ledger/sample+421bbb7b+AZozYFlrwhcSwDNFqdTp8YTAkgYZ7NR5WwY9TwmHz4Y/");
        report.Ok.ShouldBeTrue(report.Message);
        report.TreeSize.ShouldBe(4);
        report.Message.ShouldContain("consistent with the earlier checkpoint");
    }
}
