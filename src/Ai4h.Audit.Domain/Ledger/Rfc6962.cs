using System.Security.Cryptography;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>RFC 6962 / RFC 9162 Merkle tree hashing (SHA-256) and proof verification.</summary>
public static class Rfc6962
{
    public const int HashSize = 32;

    /// <summary>MTH of the empty tree: SHA-256 of nothing (a fresh copy).</summary>
    public static byte[] EmptyRoot => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>SHA-256(0x00 ‖ data): the 0x00 prefix keeps a leaf from ever being mistaken for an interior node.</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        sha.AppendData(data);
        return sha.GetHashAndReset();
    }

    /// <summary>SHA-256(0x01 ‖ left ‖ right).</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * HashSize];
        if (left.Length != HashSize || right.Length != HashSize)
            throw new ArgumentException("Node children must be 32-byte hashes.");
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The Merkle Tree Hash of RFC 6962 §2.1 over the given leaf hashes.</summary>
    public static byte[] RootOf(IReadOnlyList<byte[]> leafHashes) =>
        leafHashes.Count == 0 ? EmptyRoot : Mth(leafHashes, 0, leafHashes.Count);

    // MTH(D[start:start+count]): split at the largest power of two below count, exactly as §2.1 defines it.
    private static byte[] Mth(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 1) return (byte[])leaves[start].Clone();
        var k = (int)LargestPowerOfTwoBelow(count);
        return NodeHash(Mth(leaves, start, k), Mth(leaves, start + k, count - k));
    }

    /// <summary>The largest power of two strictly less than n (n &gt; 1): RFC 6962's split point k.</summary>
    public static long LargestPowerOfTwoBelow(long n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2);
        return 1L << (63 - (int)long.LeadingZeroCount(n - 1));
    }

    /// <summary>RFC 9162 §2.1.3.2: does <paramref name="proof"/> show the leaf at <paramref name="index"/> is in the tree of <paramref name="treeSize"/> leaves with <paramref name="root"/>?</summary>
    public static bool VerifyInclusion(byte[] leafHash, long index, long treeSize, IReadOnlyList<byte[]> proof, byte[] root)
    {
        if (index < 0 || index >= treeSize || !IsHash(leafHash) || !IsHash(root) || proof.Any(p => !IsHash(p))) return false;
        long fn = index, sn = treeSize - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                // Skip the levels where this node is the lone rightmost child and so has no sibling.
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else
            {
                r = NodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }

    /// <summary>
    /// RFC 9162 §2.1.4.2: does <paramref name="proof"/> show the tree of <paramref name="oldSize"/> leaves is a prefix of the tree
    /// of <paramref name="newSize"/> leaves? Equal sizes need an empty proof and equal roots; an empty old tree needs an empty proof
    /// and the empty-tree root.
    /// </summary>
    public static bool VerifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, IReadOnlyList<byte[]> proof)
    {
        if (oldSize < 0 || oldSize > newSize || !IsHash(oldRoot) || !IsHash(newRoot) || proof.Any(p => !IsHash(p))) return false;
        if (oldSize == newSize) return proof.Count == 0 && oldRoot.AsSpan().SequenceEqual(newRoot);
        if (oldSize == 0) return proof.Count == 0 && oldRoot.AsSpan().SequenceEqual(EmptyRoot);
        if (proof.Count == 0) return false;

        // When the old tree is a perfect subtree, its root is the proof's implicit first element.
        var path = (oldSize & (oldSize - 1)) == 0 ? [oldRoot, .. proof] : proof.ToList();
        long fn = oldSize - 1, sn = newSize - 1;
        while ((fn & 1) == 1) { fn >>= 1; sn >>= 1; }
        byte[] fr = path[0], sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else
            {
                sr = NodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && CryptographicOperations.FixedTimeEquals(fr, oldRoot) && CryptographicOperations.FixedTimeEquals(sr, newRoot);
    }

    private static bool IsHash(byte[]? h) => h is { Length: HashSize };
}
