namespace Ai4h.Audit.Domain.Ledger;

/// <summary>
/// An append-only RFC 6962 Merkle tree in memory that answers roots and proofs for any size it has held in O(log n).
/// Thread-safe: one lock guards appends and reads (each call is a few dozen hashes at most).
/// </summary>
/// <remarks>
/// Level h keeps the hash of every complete subtree of 2^h leaves aligned at a multiple of 2^h, as soon as its last leaf
/// arrives (about 2n hashes in all). Every subtree RFC 6962 names for a tree of any size n is either one of those or splits
/// into one of those plus a smaller right part, so a root or proof reads O(log n) stored nodes.
/// </remarks>
public sealed class MerkleLog
{
    private readonly List<HashLevel> _levels = [new()];
    private readonly Lock _gate = new();

    public long Size
    {
        get { lock (_gate) return _levels[0].Count; }
    }

    /// <summary>Appends a 32-byte leaf hash (e.g. <see cref="LedgerLeaf.Hash"/>) and returns its index.</summary>
    public long Append(byte[] leafHash)
    {
        if (leafHash is not { Length: Rfc6962.HashSize }) throw new ArgumentException("A leaf hash has 32 bytes.", nameof(leafHash));
        lock (_gate)
        {
            var index = _levels[0].Count;
            _levels[0].Add(leafHash);
            // Each odd index closes a complete pair: hash it into the level above, and carry while that closes one too.
            var (i, level) = (index, 0);
            while ((i & 1) == 1)
            {
                if (_levels.Count == level + 1) _levels.Add(new HashLevel());
                _levels[level + 1].Add(Rfc6962.NodeHash(_levels[level].Get(i - 1), _levels[level].Get(i)));
                i >>= 1;
                level++;
            }
            return index;
        }
    }

    public byte[] LeafHash(long index)
    {
        lock (_gate)
        {
            CheckRange(index, 0, _levels[0].Count - 1, nameof(index));
            return _levels[0].Get(index).ToArray();
        }
    }

    /// <summary>The root of the current tree.</summary>
    public byte[] Root()
    {
        lock (_gate) return RootLocked(_levels[0].Count);
    }

    /// <summary>The root of the tree as it was when it held <paramref name="size"/> leaves.</summary>
    public byte[] Root(long size)
    {
        lock (_gate)
        {
            CheckRange(size, 0, _levels[0].Count, nameof(size));
            return RootLocked(size);
        }
    }

    /// <summary>The audit path of RFC 6962 §2.1.1 for leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves, leaf end first.</summary>
    public IReadOnlyList<byte[]> InclusionProof(long index, long size)
    {
        lock (_gate)
        {
            CheckRange(size, 1, _levels[0].Count, nameof(size));
            CheckRange(index, 0, size - 1, nameof(index));
            var proof = new List<byte[]>();
            Path(index, 0, size, proof);
            return proof;
        }
    }

    /// <summary>The consistency proof of RFC 6962 §2.1.2 between the trees of <paramref name="oldSize"/> and <paramref name="newSize"/> leaves (empty when oldSize is 0 or equal).</summary>
    public IReadOnlyList<byte[]> ConsistencyProof(long oldSize, long newSize)
    {
        lock (_gate)
        {
            CheckRange(newSize, 0, _levels[0].Count, nameof(newSize));
            CheckRange(oldSize, 0, newSize, nameof(oldSize));
            var proof = new List<byte[]>();
            if (oldSize > 0 && oldSize < newSize) SubProof(oldSize, 0, newSize, true, proof);
            return proof;
        }
    }

    private byte[] RootLocked(long size) => size == 0 ? Rfc6962.EmptyRoot : SubtreeHash(0, size);

    // PATH(m, D[start:start+n]), appending the deepest sibling first as §2.1.1 orders it.
    private void Path(long m, long start, long n, List<byte[]> proof)
    {
        if (n == 1) return;
        var k = Rfc6962.LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            Path(m, start, k, proof);
            proof.Add(SubtreeHash(start + k, n - k));
        }
        else
        {
            Path(m - k, start + k, n - k, proof);
            proof.Add(SubtreeHash(start, k));
        }
    }

    // SUBPROOF(m, D[start:start+n], b) of §2.1.2.
    private void SubProof(long m, long start, long n, bool completeOldTree, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!completeOldTree) proof.Add(SubtreeHash(start, n));
            return;
        }
        var k = Rfc6962.LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(m, start, k, completeOldTree, proof);
            proof.Add(SubtreeHash(start + k, n - k));
        }
        else
        {
            SubProof(m - k, start + k, n - k, false, proof);
            proof.Add(SubtreeHash(start, k));
        }
    }

    // MTH(D[start:start+count]) from stored complete subtrees; only the ragged right edge is hashed afresh.
    private byte[] SubtreeHash(long start, long count)
    {
        if ((count & (count - 1)) == 0 && start % count == 0)
        {
            var level = 63 - long.LeadingZeroCount(count);
            return _levels[(int)level].Get(start >> (int)level).ToArray();
        }
        var k = Rfc6962.LargestPowerOfTwoBelow(count);
        return Rfc6962.NodeHash(SubtreeHash(start, k), SubtreeHash(start + k, count - k));
    }

    private static void CheckRange(long value, long min, long max, string name)
    {
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
    }

    // Hashes of one level packed into arrays of up to 32,768 hashes: a byte[] per hash would cost about twice the memory.
    private sealed class HashLevel
    {
        private const int ChunkHashes = 1 << 15;
        private readonly List<byte[]> _chunks = [];

        public long Count { get; private set; }

        public void Add(ReadOnlySpan<byte> hash)
        {
            var offset = (int)(Count % ChunkHashes);
            if (offset == 0) _chunks.Add(new byte[16 * Rfc6962.HashSize]);
            // The first chunk grows by doubling so that the many short upper levels stay small.
            var last = _chunks[^1];
            if ((offset + 1) * Rfc6962.HashSize > last.Length)
            {
                Array.Resize(ref last, Math.Min(last.Length * 2, ChunkHashes * Rfc6962.HashSize));
                _chunks[^1] = last;
            }
            hash.CopyTo(_chunks[^1].AsSpan(offset * Rfc6962.HashSize, Rfc6962.HashSize));
            Count++;
        }

        public ReadOnlySpan<byte> Get(long index) =>
            _chunks[(int)(index / ChunkHashes)].AsSpan((int)(index % ChunkHashes) * Rfc6962.HashSize, Rfc6962.HashSize);
    }
}
