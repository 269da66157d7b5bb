using System.Globalization;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>A C2SP tlog-checkpoint: the log's origin, tree size and RFC 6962 root hash.</summary>
public sealed record Checkpoint
{
    public Checkpoint(string Origin, long Size, byte[] RootHash)
    {
        if (string.IsNullOrEmpty(Origin) || Origin.Any(char.IsControl))
            throw new ArgumentException("The origin must be a non-empty line without control characters.", nameof(Origin));
        ArgumentOutOfRangeException.ThrowIfNegative(Size);
        if (RootHash is not { Length: Rfc6962.HashSize })
            throw new ArgumentException("The root hash has 32 bytes.", nameof(RootHash));
        this.Origin = Origin;
        this.Size = Size;
        this.RootHash = (byte[])RootHash.Clone();
    }

    public string Origin { get; }

    public long Size { get; }

    public byte[] RootHash { get; }

    public string RootHex => Convert.ToHexStringLower(RootHash);

    /// <summary>The note text: "origin\nsize\nbase64(root)\n".</summary>
    public string Body() =>
        $"{Origin}\n{Size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(RootHash)}\n";

    /// <summary>Parses a checkpoint note text; extension lines (allowed by C2SP, unused here) are ignored.</summary>
    public static Checkpoint Parse(string body)
    {
        if (!body.EndsWith('\n')) throw new FormatException("A checkpoint ends with a newline.");
        var lines = body[..^1].Split('\n');
        if (lines.Length < 3 || lines.Any(l => l.Length == 0))
            throw new FormatException("A checkpoint has at least three non-empty lines: origin, tree size, root hash.");
        var size = lines[1];
        // C2SP: ASCII decimal without leading zeros, so each size has exactly one spelling.
        if (!size.All(char.IsAsciiDigit) || (size.Length > 1 && size[0] == '0')
            || !long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw new FormatException($"The tree size '{size}' is not a decimal number without leading zeros.");
        byte[] root;
        try { root = Convert.FromBase64String(lines[2]); }
        catch (FormatException) { throw new FormatException("The root hash is not base64."); }
        if (root.Length != Rfc6962.HashSize) throw new FormatException("The root hash does not have 32 bytes.");
        return new Checkpoint(lines[0], n, root);
    }

    public bool Equals(Checkpoint? other) =>
        other is not null && Origin == other.Origin && Size == other.Size && RootHash.AsSpan().SequenceEqual(other.RootHash);

    public override int GetHashCode() => HashCode.Combine(Origin, Size, BitConverter.ToInt32(RootHash));

    public override string ToString() => $"{Origin} size {Size} root {RootHex}";
}
