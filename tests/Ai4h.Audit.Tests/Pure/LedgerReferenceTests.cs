using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Ledger;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>
/// Canonical leaves, roots and proofs against an independent Python implementation
/// (Reference/make_ledger_reference.py, standard library only), byte for byte.
/// </summary>
public sealed class LedgerReferenceTests
{
    private static readonly JsonNode Fixture =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "ledger_reference.json")))!;

    private static IEnumerable<JsonNode> Leaves => Fixture["leaves"]!.AsArray().Select(l => l!);

    private static LedgerBundleEntry Entry(JsonNode leaf) =>
        new()
        {
            Sequence = leaf["entry"]!["sequence"]!.GetValue<long>(),
            Void = leaf["entry"]!["void"]?.GetValue<bool>(),
            StreamId = leaf["entry"]!["streamId"] is { } s ? Guid.Parse(s.GetValue<string>()) : null,
            StreamVersion = leaf["entry"]!["streamVersion"]?.GetValue<long>(),
            EventType = leaf["entry"]!["eventType"]?.GetValue<string>(),
            Timestamp = leaf["entry"]!["timestamp"]?.GetValue<string>(),
            Actor = leaf["entry"]!["actor"]?.GetValue<string>(),
            Data = leaf["entry"]!["data"]?.GetValue<string>(),
        };

    private static MerkleLog Log()
    {
        var log = new MerkleLog();
        foreach (var leaf in Leaves) log.Append(Convert.FromHexString(leaf["leafHash"]!.GetValue<string>()));
        return log;
    }

    private static List<string> Hexes(JsonNode node) => node.AsArray().Select(x => x!.GetValue<string>()).ToList();

    [Fact]
    public void every_canonical_encoding_and_leaf_hash_matches_the_reference()
    {
        Leaves.Count().ShouldBe(40);
        Leaves.Count(l => l["entry"]!["void"] is not null).ShouldBe(5);
        foreach (var leaf in Leaves)
        {
            var entry = Entry(leaf);
            var computed = entry.ToLeaf();
            Convert.ToHexStringLower(computed.CanonicalBytes).ShouldBe(leaf["canonical"]!.GetValue<string>(), entry.Describe());
            computed.HashHex.ShouldBe(leaf["leafHash"]!.GetValue<string>(), entry.Describe());
            computed.Sequence.ShouldBe(entry.Sequence);
            computed.Kind.ShouldBe(entry.IsVoid ? LedgerLeafKind.Void : LedgerLeafKind.Event);
            if (entry.IsVoid) continue;
            LedgerBundleEntry.DataHash(entry.Data!).ShouldBe(leaf["dataSha256"]!.GetValue<string>());
            LedgerTime.ToUnixMicroseconds(LedgerTime.ParseIso(entry.Timestamp!)).ShouldBe(leaf["unixMicroseconds"]!.GetValue<long>());
        }
    }

    [Fact]
    public void roots_for_every_size_match_the_reference()
    {
        var roots = Hexes(Fixture["roots"]!);
        var log = Log();
        var hashes = Leaves.Select(l => Convert.FromHexString(l["leafHash"]!.GetValue<string>())).ToList();
        for (var n = 0; n < roots.Count; n++)
        {
            Convert.ToHexStringLower(log.Root(n)).ShouldBe(roots[n], $"size {n}");
            Convert.ToHexStringLower(Rfc6962.RootOf(hashes[..n])).ShouldBe(roots[n], $"size {n}");
        }
    }

    [Fact]
    public void inclusion_and_consistency_proofs_match_the_reference_and_verify()
    {
        var log = Log();
        var roots = Hexes(Fixture["roots"]!).Select(Convert.FromHexString).ToList();
        foreach (var p in Fixture["inclusion"]!.AsArray())
        {
            var (index, size, proof) = (p!["index"]!.GetValue<long>(), p["size"]!.GetValue<long>(), Hexes(p["proof"]!));
            log.InclusionProof(index, size).Select(Convert.ToHexStringLower).ShouldBe(proof, $"inclusion {index} in {size}");
            Rfc6962.VerifyInclusion(log.LeafHash(index), index, size, proof.Select(Convert.FromHexString).ToList(), roots[(int)size]).ShouldBeTrue();
        }
        foreach (var p in Fixture["consistency"]!.AsArray())
        {
            var (m, n, proof) = (p!["oldSize"]!.GetValue<long>(), p["newSize"]!.GetValue<long>(), Hexes(p["proof"]!));
            log.ConsistencyProof(m, n).Select(Convert.ToHexStringLower).ShouldBe(proof, $"consistency {m} to {n}");
            Rfc6962.VerifyConsistency(m, n, roots[(int)m], roots[(int)n], proof.Select(Convert.FromHexString).ToList()).ShouldBeTrue();
        }
    }

    [Fact]
    public void the_checkpoint_body_matches_the_reference()
    {
        var c = Fixture["checkpoint"]!;
        var checkpoint = new Checkpoint(c["origin"]!.GetValue<string>(), c["size"]!.GetValue<long>(), Log().Root());
        checkpoint.Body().ShouldBe(c["body"]!.GetValue<string>());
        Checkpoint.Parse(checkpoint.Body()).ShouldBe(checkpoint);
    }

    [Fact]
    public void times_are_floored_to_the_microsecond_on_both_sides_of_1970()
    {
        var epoch = DateTimeOffset.UnixEpoch;
        LedgerTime.ToUnixMicroseconds(epoch.AddTicks(9)).ShouldBe(0);
        LedgerTime.ToUnixMicroseconds(epoch.AddTicks(-1)).ShouldBe(-1);
        LedgerTime.ToUnixMicroseconds(epoch.AddTicks(-10)).ShouldBe(-1);
        LedgerTime.ToUnixMicroseconds(epoch.AddTicks(-11)).ShouldBe(-2);
        LedgerTime.ToIso(new DateTimeOffset(2025, 3, 1, 10, 30, 0, TimeSpan.FromHours(1)).AddTicks(1_234_567))
            .ShouldBe("2025-03-01T09:30:00.123456Z");
        // Sub-microsecond ticks never change a leaf: the same microsecond gives the same bytes.
        var a = LedgerLeaf.ForEvent(1, Guid.Empty, 1, "E", epoch.AddTicks(10), null, new string('0', 64));
        var b = LedgerLeaf.ForEvent(1, Guid.Empty, 1, "E", epoch.AddTicks(19), null, new string('0', 64));
        a.Hash.ShouldBe(b.Hash);
        Should.Throw<FormatException>(() => LedgerTime.ParseIso("2025-03-01T09:30:00"));
    }

    [Fact]
    public void a_leaf_refuses_bad_input_rather_than_encode_it_ambiguously()
    {
        Should.Throw<ArgumentException>(() => LedgerLeaf.ForEvent(1, Guid.Empty, 1, "E", DateTimeOffset.UnixEpoch, null, "abc"));
        Should.Throw<ArgumentException>(() => LedgerLeaf.ForEvent(1, Guid.Empty, 1, "E", DateTimeOffset.UnixEpoch, "\ud800", new string('0', 64)));
        Should.Throw<ArgumentException>(() => LedgerLeaf.ForEvent(-1, Guid.Empty, 1, "E", DateTimeOffset.UnixEpoch, null, new string('0', 64)));
        Should.Throw<ArgumentException>(() => LedgerLeaf.ForEvent(1, Guid.Empty, 1, "", DateTimeOffset.UnixEpoch, null, new string('0', 64)));
        LedgerLeaf.Void(7).CanonicalBytes.ShouldBe(Convert.FromHexString("020000000000000007"));
    }
}
