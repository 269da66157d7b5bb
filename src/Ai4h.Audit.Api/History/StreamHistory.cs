using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using JasperFx.Events;
using Marten;

namespace Ai4h.Audit.Api.History;

/// <summary>One event as a reader of the record sees it: what happened, who did it, when (server UTC) and why.</summary>
public sealed record RecordedEvent(
    Guid EventId,
    long Sequence,
    long StreamVersion,
    string Type,
    DateTimeOffset RecordedAt,
    string? Actor,
    string? Reason,
    string? CorrelationId,
    string? CausationId,
    object Data);

public static class StreamHistory
{
    public static async Task<IReadOnlyList<RecordedEvent>> ReadAsync(IQuerySession session, Guid streamId, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(streamId, token: ct);
        return events.Select(ToRecorded).ToList();
    }

    public static RecordedEvent ToRecorded(IEvent e) => new(
        e.Id,
        e.Sequence,
        e.Version,
        e.EventTypeName,
        e.Timestamp.ToUniversalTime(),
        e.UserName,
        ReasonOf(e),
        e.CorrelationId,
        e.CausationId,
        Redacted(e.Data));

    /// <summary>
    /// A password hash is never served, not even to administrators: with the salt, it could be attacked offline.
    /// </summary>
    private static object Redacted(object data) => data is PasswordSet set
        ? new { set.UserId, Hash = new { set.Hash.Algorithm, set.Hash.Iterations } }
        : data;

    /// <summary>Events that carry a user's reason have a <c>Reason</c> property; there is no other source of it.</summary>
    private static string? ReasonOf(IEvent e) =>
        e.Data.GetType().GetProperty("Reason")?.GetValue(e.Data) as string;
}
