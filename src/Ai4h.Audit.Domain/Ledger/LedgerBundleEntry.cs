using System.Text;
using System.Text.Json.Serialization;
using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>One entry of a <see cref="LedgerBundle"/>: an event with its stored JSON, or a void sequence number.</summary>
public sealed record LedgerBundleEntry
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public required long Sequence { get; init; }

    /// <summary>True for a void (a sequence number no committed event holds); absent for an event.</summary>
    public bool? Void { get; init; }

    public Guid? StreamId { get; init; }

    public long? StreamVersion { get; init; }

    public string? EventType { get; init; }

    /// <summary>ISO 8601 UTC with microseconds, e.g. 2025-03-01T09:30:00.123456Z.</summary>
    public string? Timestamp { get; init; }

    public string? Actor { get; init; }

    /// <summary>The event's stored JSON, exactly as text: the leaf commits to SHA-256 of its UTF-8 bytes.</summary>
    public string? Data { get; init; }

    /// <summary>
    /// Instead of <see cref="Data"/>: only the SHA-256 of the stored JSON, for events whose content must not leave the
    /// platform (password hashes). The leaf is still bound to the content, but the verifier cannot look inside it.
    /// </summary>
    public string? DataSha256 { get; init; }

    /// <summary>Optional, for people reading reports: the event's id. It is not part of the leaf.</summary>
    public Guid? EventId { get; init; }

    [JsonIgnore]
    public bool IsVoid => Void == true;

    public static LedgerBundleEntry ForEvent(long sequence, Guid streamId, long streamVersion, string eventType,
        DateTimeOffset timestamp, string? actor, string data, Guid? eventId = null) => new()
    {
        Sequence = sequence,
        StreamId = streamId,
        StreamVersion = streamVersion,
        EventType = eventType,
        Timestamp = LedgerTime.ToIso(timestamp),
        Actor = actor,
        Data = data,
        EventId = eventId,
    };

    public static LedgerBundleEntry ForVoid(long sequence) => new() { Sequence = sequence, Void = true };

    /// <summary>SHA-256 (lower-case hex) of the UTF-8 bytes of the event's stored JSON text: what the leaf commits to.</summary>
    public static string DataHash(string data) => Sha256.Hex(StrictUtf8.GetBytes(data));

    /// <summary>Recomputes the ledger leaf; throws <see cref="FormatException"/> naming the missing or malformed field.</summary>
    /// <summary>The SHA-256 the leaf commits to: of <see cref="Data"/>, or the redacted entry's <see cref="DataSha256"/>.</summary>
    private string ContentHash()
    {
        if (Data is not null && DataSha256 is not null) throw new FormatException("an entry carries either 'data' or 'dataSha256', not both");
        if (Data is not null) return DataHash(Data);
        if (DataSha256 is null) throw Missing("data");
        return Sha256.IsHex(DataSha256) ? DataSha256 : throw new FormatException("'dataSha256' must be 64 lower-case hexadecimal characters");
    }

    /// <summary>The same entry with its content replaced by the content's hash (see <see cref="DataSha256"/>).</summary>
    public LedgerBundleEntry Redacted() => Data is null ? this : this with { Data = null, DataSha256 = DataHash(Data) };

    public LedgerLeaf ToLeaf()
    {
        if (IsVoid)
        {
            if (StreamId is not null || StreamVersion is not null || EventType is not null || Timestamp is not null || Actor is not null || Data is not null
                || DataSha256 is not null)
                throw new FormatException("a void entry carries event fields");
            return LedgerLeaf.Void(Sequence);
        }
        if (Void == false) throw new FormatException("'void' is false; an event entry leaves it out");
        var timestamp = LedgerTime.ParseIso(Timestamp ?? throw Missing("timestamp"));
        try
        {
            return LedgerLeaf.ForEvent(Sequence, StreamId ?? throw Missing("streamId"), StreamVersion ?? throw Missing("streamVersion"),
                EventType ?? throw Missing("eventType"), timestamp, Actor, ContentHash());
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>How a report names this entry: sequence, and for an event its type, id and stream.</summary>
    public string Describe() =>
        IsVoid
            ? $"sequence {Sequence} (void: no committed event)"
            : $"sequence {Sequence} (event {EventType}{(EventId is { } id ? $" id {id}" : "")}, stream {StreamId} version {StreamVersion})";

    private static FormatException Missing(string field) => new($"the event entry has no '{field}'");
}
