using System.Collections.Concurrent;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;

namespace Ai4h.Audit.Domain.Record;

/// <summary>
/// Every event of several streams in one statement, decoded with the store's own serializer and event mappings into
/// the same <see cref="IEvent"/> envelopes Marten's <c>FetchStreamAsync</c> gives, one stream at a time. A dossier draws
/// on five or more streams: one round trip instead of one per stream, and none of the per-event work Marten's general
/// event reader does for features this record does not use (docs/performance.md, "Dossier rebuild"). Headers are not
/// read: an aggregate folded from these envelopes must not depend on them (none does; DossierReadTests compares every
/// other field with Marten's).
/// </summary>
public static class StreamReads
{
    private static readonly ConcurrentDictionary<string, Type> EventTypes = new();

    /// <summary>The events of each stream asked for, in version order; a stream with no events is absent.</summary>
    public static Task<Dictionary<Guid, List<IEvent>>> ReadAsync(IQuerySession session, IReadOnlyCollection<Guid> streamIds, CancellationToken ct) =>
        streamIds.Count == 0
            ? Task.FromResult(new Dictionary<Guid, List<IEvent>>())
            : ReadWhereAsync(session, "where stream_id = any($1)", [streamIds as Guid[] ?? streamIds.ToArray()], ct);

    /// <summary>
    /// The events of the streams a query names: <paramref name="streamIdsSql"/> selects one column of stream ids, with
    /// <paramref name="parameters"/> as $1, $2, …; finding the streams and reading them is then one round trip.
    /// </summary>
    public static Task<Dictionary<Guid, List<IEvent>>> ReadAsync(IQuerySession session, string streamIdsSql, object[] parameters, CancellationToken ct) =>
        ReadWhereAsync(session, $"where stream_id in ({streamIdsSql})", parameters, ct);

    private static async Task<Dictionary<Guid, List<IEvent>>> ReadWhereAsync(IQuerySession session, string where, object[] parameters, CancellationToken ct)
    {
        var streams = new Dictionary<Guid, List<IEvent>>();
        var options = session.DocumentStore.Options;
        var graph = (EventGraph)options.Events;
        var serializer = options.Serializer();
        await using var cmd = new NpgsqlCommand($"""
            select seq_id, id, stream_id, version, type, mt_dotnet_type, data, timestamp, user_name, correlation_id, causation_id
              from {options.DatabaseSchemaName}.mt_events {where} order by seq_id
            """);
        foreach (var value in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        await using var reader = await session.ExecuteReaderAsync(cmd, ct);
        while (await reader.ReadAsync(ct))
        {
            var typeName = reader.GetString(4);
            var mapping = graph.EventMappingFor(EventType(reader.GetInt64(0), typeName, reader.GetString(5)));
            // The alias stored with the event must be the one this build maps its type to, or the stored record and the code disagree.
            if (mapping.EventTypeName != typeName)
                throw new StoredEventUnreadable(reader.GetInt64(0), $"it is stored as '{typeName}', but its .NET type is named '{mapping.EventTypeName}'");
            var e = mapping.Wrap(serializer.FromJson(mapping.DocumentType, reader, 6));
            e.Sequence = reader.GetInt64(0);
            e.Id = reader.GetGuid(1);
            e.StreamId = reader.GetGuid(2);
            e.Version = reader.GetInt64(3);
            e.Timestamp = reader.GetFieldValue<DateTimeOffset>(7);
            e.UserName = reader.IsDBNull(8) ? null : reader.GetString(8);
            e.CorrelationId = reader.IsDBNull(9) ? null : reader.GetString(9);
            e.CausationId = reader.IsDBNull(10) ? null : reader.GetString(10);
            if (!streams.TryGetValue(e.StreamId, out var events)) streams[e.StreamId] = events = [];
            events.Add(e);
        }
        return streams;
    }

    /// <summary>
    /// The .NET type a stored event names. Only the domain's own event types are decoded: a type name altered in the
    /// database must not make this process instantiate whatever type it names.
    /// </summary>
    private static Type EventType(long sequence, string alias, string dotNetName) =>
        EventTypes.TryGetValue(dotNetName, out var known) ? known
        : Type.GetType(dotNetName, throwOnError: false) is { } type && type.Assembly == typeof(StreamReads).Assembly ? EventTypes.GetOrAdd(dotNetName, type)
        : throw new StoredEventUnreadable(sequence, $"'{alias}' names the .NET type '{dotNetName}', which is not an event type of this build's domain");
}

/// <summary>A stored event that this build cannot read as what it claims to be: the record was altered, or the code lost a type.</summary>
public sealed class StoredEventUnreadable(long sequence, string reason) : Exception($"The event at sequence {sequence} cannot be read: {reason}.")
{
    public long Sequence { get; } = sequence;
}
