using Ai4h.Audit.Domain.Ledger;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>MerkleLog's roots and proofs against the recursive definitions of RFC 6962 §2.1, for every size up to 70.</summary>
public sealed class LedgerMerkleLogTests
{
    private const int MaxSize = 70;

    private static readonly List<byte[]> Hashes =
        Enumerable.Range(0, MaxSize).Select(i => Rfc6962.LeafHash(BitConverter.GetBytes(i * 7919))).ToList();

    private static readonly MerkleLog Log = Build(MaxSize);

    private static MerkleLog Build(int n)
    {
        var log = new MerkleLog();
        foreach (var h in Hashes.Take(n)) log.Append(h);
        return log;
    }

    // RFC 6962 §2.1, written as the RFC states it: slow, obviously right.
    private static byte[] Mth(List<byte[]> d) =>
        d.Count switch
        {
            0 => Rfc6962.EmptyRoot,
            1 => d[0],
            _ => Rfc6962.NodeHash(Mth(d[..K(d.Count)]), Mth(d[K(d.Count)..])),
        };

    private static int K(int n) => (int)Rfc6962.LargestPowerOfTwoBelow(n);

    private static List<byte[]> PathOf(int m, List<byte[]> d)
    {
        if (d.Count <= 1) return [];
        var k = K(d.Count);
        return m < k ? [.. PathOf(m, d[..k]), Mth(d[k..])] : [.. PathOf(m - k, d[k..]), Mth(d[..k])];
    }

    private static List<byte[]> SubProof(int m, List<byte[]> d, bool b)
    {
        if (m == d.Count) return b ? [] : [Mth(d)];
        var k = K(d.Count);
        return m <= k ? [.. SubProof(m, d[..k], b), Mth(d[k..])] : [.. SubProof(m - k, d[k..], false), Mth(d[..k])];
    }

    private static List<string> Hex(IEnumerable<byte[]> hashes) => hashes.Select(Convert.ToHexStringLower).ToList();

    [Fact]
    public void roots_of_every_earlier_size_equal_the_merkle_tree_hash()
    {
        Log.Size.ShouldBe(MaxSize);
        for (var n = 0; n <= MaxSize; n++)
        {
            var expected = Convert.ToHexStringLower(Mth(Hashes[..n]));
            Convert.ToHexStringLower(Log.Root(n)).ShouldBe(expected, $"size {n}");
            Convert.ToHexStringLower(Build(n).Root()).ShouldBe(expected, $"fresh log of size {n}");
        }
    }

    [Fact]
    public void every_inclusion_proof_equals_the_rfc_path_and_verifies()
    {
        for (var n = 1; n <= MaxSize; n++)
        {
            var root = Log.Root(n);
            for (var i = 0; i < n; i++)
            {
                var proof = Log.InclusionProof(i, n);
                Hex(proof).ShouldBe(Hex(PathOf(i, Hashes[..n])), $"PATH({i}, D[{n}])");
                Rfc6962.VerifyInclusion(Hashes[i], i, n, proof, root).ShouldBeTrue($"leaf {i} of {n}");
            }
        }
    }

    [Fact]
    public void every_consistency_proof_equals_the_rfc_proof_and_verifies()
    {
        for (var n = 1; n <= MaxSize; n++)
            for (var m = 1; m <= n; m++)
            {
                var proof = Log.ConsistencyProof(m, n);
                Hex(proof).ShouldBe(m == n ? [] : Hex(SubProof(m, Hashes[..n], true)), $"PROOF({m}, D[{n}])");
                Rfc6962.VerifyConsistency(m, n, Log.Root(m), Log.Root(n), proof).ShouldBeTrue($"{m} to {n}");
            }
        Log.ConsistencyProof(0, 5).ShouldBeEmpty();
        Rfc6962.VerifyConsistency(0, 5, Rfc6962.EmptyRoot, Log.Root(5), []).ShouldBeTrue();
    }

    [Fact]
    public void a_tampered_proof_or_wrong_claim_fails()
    {
        const int n = 45, i = 21, m = 19;
        var inclusion = Log.InclusionProof(i, n).ToList();
        for (var j = 0; j < inclusion.Count; j++)
        {
            var bad = inclusion.Select(h => (byte[])h.Clone()).ToList();
            bad[j][5] ^= 0x40;
            Rfc6962.VerifyInclusion(Hashes[i], i, n, bad, Log.Root(n)).ShouldBeFalse($"flipped bit in element {j}");
        }
        Rfc6962.VerifyInclusion(Hashes[i], i + 1, n, inclusion, Log.Root(n)).ShouldBeFalse("wrong index");
        // A size with the same path shape (46) would pass: the root, not the proof, binds the size. 65 changes the shape.
        Rfc6962.VerifyInclusion(Hashes[i], i, n + 20, inclusion, Log.Root(n)).ShouldBeFalse("wrong size");
        Rfc6962.VerifyInclusion(Hashes[i + 1], i, n, inclusion, Log.Root(n)).ShouldBeFalse("wrong leaf");
        Rfc6962.VerifyInclusion(Hashes[i], i, n, inclusion[..^1], Log.Root(n)).ShouldBeFalse("truncated");
        Rfc6962.VerifyInclusion(Hashes[i], i, n, [.. inclusion, Hashes[0]], Log.Root(n)).ShouldBeFalse("extended");

        var consistency = Log.ConsistencyProof(m, n).ToList();
        for (var j = 0; j < consistency.Count; j++)
        {
            var bad = consistency.Select(h => (byte[])h.Clone()).ToList();
            bad[j][0] ^= 0x01;
            Rfc6962.VerifyConsistency(m, n, Log.Root(m), Log.Root(n), bad).ShouldBeFalse($"flipped bit in element {j}");
        }
        Rfc6962.VerifyConsistency(m, n, Log.Root(m + 1), Log.Root(n), consistency).ShouldBeFalse("another old root");
        Rfc6962.VerifyConsistency(m, n, Log.Root(m), Log.Root(n - 1), consistency).ShouldBeFalse("another new root");
        Rfc6962.VerifyConsistency(m, n, Log.Root(m), Log.Root(n), consistency[..^1]).ShouldBeFalse("truncated");
        Rfc6962.VerifyConsistency(m, n, Log.Root(m), Log.Root(n), []).ShouldBeFalse("empty");
        Rfc6962.VerifyConsistency(n, m, Log.Root(n), Log.Root(m), consistency).ShouldBeFalse("sizes swapped");
        Rfc6962.VerifyConsistency(m, m, Log.Root(m), Log.Root(m), [Hashes[0]]).ShouldBeFalse("equal sizes need an empty proof");
    }

    [Fact]
    public void out_of_range_requests_are_refused()
    {
        var log = Build(5);
        Should.Throw<ArgumentOutOfRangeException>(() => log.Root(6));
        Should.Throw<ArgumentOutOfRangeException>(() => log.InclusionProof(5, 5));
        Should.Throw<ArgumentOutOfRangeException>(() => log.InclusionProof(0, 6));
        Should.Throw<ArgumentOutOfRangeException>(() => log.ConsistencyProof(4, 3));
        Should.Throw<ArgumentOutOfRangeException>(() => log.LeafHash(5));
        Should.Throw<ArgumentException>(() => log.Append(new byte[31]));
        new MerkleLog().Root().ShouldBe(Rfc6962.EmptyRoot);
    }

    [Fact]
    public void a_million_leaves_append_and_prove_quickly()
    {
        var log = new MerkleLog();
        var leaf = new byte[32];
        for (var i = 0; i < 1_000_000; i++)
        {
            BitConverter.TryWriteBytes(leaf, i);
            log.Append(Rfc6962.LeafHash(leaf));
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++)
        {
            var size = 1_000_000 - i * 997;
            var index = (i * 7_919L) % size;
            Rfc6962.VerifyInclusion(log.LeafHash(index), index, size, log.InclusionProof(index, size), log.Root(size)).ShouldBeTrue();
            Rfc6962.VerifyConsistency(size / 3, size, log.Root(size / 3), log.Root(size), log.ConsistencyProof(size / 3, size)).ShouldBeTrue();
        }
        // O(log n): a thousand of each takes milliseconds; an O(n) implementation would take minutes.
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }
}
