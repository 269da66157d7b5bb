namespace Ai4h.Audit.Domain.Ledger;

/// <summary>
/// Given entries and the ledger's authenticated leaf hashes, names the first entry that differs and how: changed, removed,
/// inserted or moved.
/// </summary>
internal static class TamperLocator
{
    public sealed record Difference(string Message, long? Sequence);

    public static Difference? FirstDifference(IReadOnlyList<LedgerBundleEntry> entries, List<byte[]> leaves, List<byte[]> recorded)
    {
        var i = 0;
        while (i < leaves.Count && i < recorded.Count && Same(leaves[i], recorded[i])) i++;
        if (i == leaves.Count && i == recorded.Count) return null;

        long? before = i > 0 ? entries[i - 1].Sequence : null;
        if (i == leaves.Count)
            return new($"The signed log has {recorded.Count} entries but the bundle stops after {leaves.Count}: "
                + $"the entries after {(before is { } b ? $"sequence {b}" : "the start")} have been removed.", before + 1);
        var here = entries[i];
        if (i == recorded.Count)
            return new($"Entry {i + 1}, {here.Describe()}, is not in the signed log: it was added after the end of the signed log.", here.Sequence);

        var hereInLog = IndexOf(recorded, leaves[i], i + 1);  // where the log holds the bundle's entry i
        var logInBundle = IndexOf(leaves, recorded[i], i + 1); // where the bundle holds the log's entry i
        if (logInBundle < 0 && hereInLog == i + 1)
        {
            // The log's entry i is gone and everything after it moved up one place.
            if (before is { } b && here.Sequence - b == 2)
                return new($"Sequence {b + 1} is missing from the bundle: the signed log holds an entry between sequence {b} and "
                    + $"{here.Describe()} that the bundle does not contain (it was deleted).", b + 1);
            return new($"An entry is missing from the bundle: the signed log holds an entry between "
                + $"{(before is { } p ? $"sequence {p}" : "the start")} and {here.Describe()} that the bundle does not contain (it was deleted).",
                before is { } q ? q + 1 : here.Sequence - 1);
        }
        if (hereInLog < 0 && logInBundle == i + 1)
            return new($"Entry {i + 1}, {here.Describe()}, is not in the signed log: it was inserted "
                + $"between {(before is { } p ? $"sequence {p}" : "the start")} and sequence {entries[i + 1].Sequence}.", here.Sequence);
        if (hereInLog >= 0 && logInBundle >= 0)
        {
            var belongsHere = entries[logInBundle];
            return new($"Entries are out of order: {belongsHere.Describe()} is entry {i + 1} in the signed log but appears as entry "
                + $"{logInBundle + 1} in the bundle, and {here.Describe()} appears as entry {i + 1} but is entry {hereInLog + 1} in the signed log.",
                belongsHere.Sequence);
        }
        return new($"Entry {i + 1}, {here.Describe()}, differs from what was signed: its recomputed leaf hash is "
            + $"{Convert.ToHexStringLower(leaves[i])} but the signed log recorded {Convert.ToHexStringLower(recorded[i])}. "
            + "Its data, type, stream, version, time or actor has been changed.", here.Sequence);
    }

    private static bool Same(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b);

    private static int IndexOf(List<byte[]> hashes, byte[] target, int from)
    {
        for (var j = from; j < hashes.Count; j++)
            if (Same(hashes[j], target)) return j;
        return -1;
    }
}
