using System.Buffers.Binary;
using System.Text;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>What a ledger leaf records: a committed event, or a sequence number no committed event holds.</summary>
public enum LedgerLeafKind : byte
{
    Event = 0x01,
    Void = 0x02,
}

/// <summary>
/// One log entry in its canonical byte encoding (docs/ledger.md, "Canonical leaf encoding") and its RFC 6962 leaf hash.
/// </summary>
public sealed class LedgerLeaf
{
    // Strict UTF-8: a lone surrogate must fail loudly rather than be silently replaced by U+FFFD,
    // which would let two different strings share one leaf.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _canonical;
    private readonly byte[] _hash;

    private LedgerLeaf(LedgerLeafKind kind, long sequence, byte[] canonical)
    {
        Kind = kind;
        Sequence = sequence;
        _canonical = canonical;
        _hash = Rfc6962.LeafHash(canonical);
    }

    public LedgerLeafKind Kind { get; }

    public long Sequence { get; }

    /// <summary>The canonical bytes (a copy).</summary>
    public byte[] CanonicalBytes => (byte[])_canonical.Clone();

    /// <summary>SHA-256(0x00 ‖ canonical bytes), 32 bytes (a copy).</summary>
    public byte[] Hash => (byte[])_hash.Clone();

    public string HashHex => Convert.ToHexStringLower(_hash);

    /// <summary>The leaf of a committed event; <paramref name="dataSha256Hex"/> is SHA-256 of the event's stored JSON text.</summary>
    public static LedgerLeaf ForEvent(long sequence, Guid streamId, long streamVersion, string eventType,
        DateTimeOffset timestamp, string? actor, string dataSha256Hex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfNegative(streamVersion);
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        var dataHash = ParseSha256(dataSha256Hex);
        var type = StrictUtf8.GetBytes(eventType);
        var who = actor is null ? [] : StrictUtf8.GetBytes(actor);

        var bytes = new byte[1 + 8 + 16 + 8 + 4 + type.Length + 8 + 4 + who.Length + 32];
        var w = new Writer(bytes);
        w.Byte((byte)LedgerLeafKind.Event);
        w.Int64(sequence);
        w.Bytes(streamId.ToByteArray(bigEndian: true));
        w.Int64(streamVersion);
        w.LengthPrefixed(type);
        w.Int64(LedgerTime.ToUnixMicroseconds(timestamp));
        w.LengthPrefixed(who);
        w.Bytes(dataHash);
        return new LedgerLeaf(LedgerLeafKind.Event, sequence, bytes);
    }

    /// <summary>
    /// The leaf of a sequence number the database allocated but no committed event holds (a rolled-back
    /// transaction), so that every sequence number is accounted for in the signed log.
    /// </summary>
    public static LedgerLeaf Void(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        var bytes = new byte[1 + 8];
        bytes[0] = (byte)LedgerLeafKind.Void;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), sequence);
        return new LedgerLeaf(LedgerLeafKind.Void, sequence, bytes);
    }

    private static byte[] ParseSha256(string hex)
    {
        if (hex is not { Length: 64 })
            throw new ArgumentException("The data hash must be 64 hexadecimal characters (SHA-256).", nameof(hex));
        try { return Convert.FromHexString(hex); }
        catch (FormatException) { throw new ArgumentException("The data hash is not hexadecimal.", nameof(hex)); }
    }

    private ref struct Writer(Span<byte> target)
    {
        private readonly Span<byte> _target = target;
        private int _at;

        public void Byte(byte b) => _target[_at++] = b;

        public void Int64(long v)
        {
            BinaryPrimitives.WriteInt64BigEndian(_target[_at..], v);
            _at += 8;
        }

        public void Bytes(ReadOnlySpan<byte> b)
        {
            b.CopyTo(_target[_at..]);
            _at += b.Length;
        }

        public void LengthPrefixed(ReadOnlySpan<byte> b)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_target[_at..], checked((uint)b.Length));
            _at += 4;
            Bytes(b);
        }
    }
}
