using System.Diagnostics;
using System.Text.Json;
using Ai4h.Audit.Domain.Record;
using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace Ai4h.Audit.Bench;

/// <summary>A small per-case result, the kind of event that comes in the tens of thousands at once (bench only).</summary>
public sealed record CaseResultRecorded(Guid EvaluationId, string CaseId, float Score, string Label);

/// <summary>The stream type the bulk figure declares (the record demands one on every new stream).</summary>
public sealed record CaseResults(Guid Id);

/// <summary>
/// Bulk append (issue 9): many events appended to existing streams in one Marten transaction, in quick and in rich append mode, against
/// PostgreSQL's binary COPY of the same rows into a plain table. Each in a schema of its own.
/// </summary>
public static class BulkAppendFigures
{
    public const double Goal = 0.50;
    public const int GoalEvents = 100_000;
    private const int Streams = 10;
    private const string CopySchema = "bench_bulk_copy";

    public static async Task<IReadOnlyList<Figure>> MartenVsCopy(DatabaseConnections connections, int events, int rounds)
    {
        using var quick = await BenchDatabase.FreshStoreAsync(connections, "bench_bulk_quick", EventAppendMode.Quick);
        using var rich = await BenchDatabase.FreshStoreAsync(connections, "bench_bulk_rich", EventAppendMode.Rich);
        await BenchDatabase.ExecuteAsync(connections.Owner, $"""
            drop schema if exists {CopySchema} cascade;
            create schema {CopySchema};
            create table {CopySchema}.events (seq bigint generated always as identity primary key, id uuid not null, stream_id uuid not null,
                version int not null, type text not null, data jsonb not null, timestamp timestamptz not null default now(), user_name text);
            """);
        await using var copy = NpgsqlDataSource.Create(connections.Owner);

        var perStream = events / Streams;
        var n = perStream * Streams;
        // Warm-up at a fiftieth of the size: code generation, JIT, connections.
        await Marten(quick, connections.Owner, perStream / 50);
        await Marten(rich, connections.Owner, perStream / 50);
        await Copy(copy, perStream / 50);

        var quickTimes = new double[rounds];
        var richTimes = new double[rounds];
        var copyTimes = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            // Rotate the order so that none always runs first after the tables were emptied.
            var order = new (double[] Into, Func<Task<double>> Run)[]
            {
                (quickTimes, () => Marten(quick, connections.Owner, perStream)), (richTimes, () => Marten(rich, connections.Owner, perStream)), (copyTimes, () => Copy(copy, perStream)),
            };
            for (var k = 0; k < order.Length; k++)
            {
                var (into, run) = order[(r + k) % order.Length];
                into[r] = await run();
            }
            Console.WriteLine($"  round {r + 1}: Marten quick {Timings.Ms(quickTimes[r])}, Marten rich {Timings.Ms(richTimes[r])}, COPY {Timings.Ms(copyTimes[r])} for {n:N0} events");
        }

        var quickRatio = Timings.MedianOf(copyTimes.Zip(quickTimes, (c, m) => c / m));
        var richRatio = Timings.MedianOf(copyTimes.Zip(richTimes, (c, m) => c / m));
        string Rate(double[] times) => $"{n / Timings.MedianOf(times):N0} events/s";
        bool? Pass(double ratio) => n >= GoalEvents ? ratio >= Goal : null;
        return
        [
            new Figure($"Bulk append to existing streams, {n:N0} events in one transaction, Marten quick append vs COPY", "Marten ≥ 50 % of COPY events/s",
                $"Marten {Rate(quickTimes)}, COPY {Rate(copyTimes)} (medians of {rounds})", $"{quickRatio:P1}", Pass(quickRatio)),
            new Figure($"Bulk append to existing streams, {n:N0} events in one transaction, Marten rich append vs COPY", "Marten ≥ 50 % of COPY events/s",
                $"Marten {Rate(richTimes)}, COPY {Rate(copyTimes)} (medians of {rounds})", $"{richRatio:P1}", Pass(richRatio)),
        ];
    }

    private static IEnumerable<CaseResultRecorded> Results(Guid evaluation, int count) =>
        Enumerable.Range(0, count).Select(i => new CaseResultRecorded(evaluation, $"case-{i:D6}", (i % 1000) / 1000f, i % 3 == 0 ? "malignant" : "benign"));

    /// <summary>Empties the store's event tables, opens <see cref="Streams"/> streams, then appends per-case results to all of them in one session and one SaveChanges (timed).</summary>
    private static async Task<double> Marten(DocumentStore store, string owner, int perStream)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await BenchDatabase.ExecuteAsync(owner, $"truncate {schema}.mt_events, {schema}.mt_streams cascade");
        var streams = Enumerable.Range(0, Streams).Select(_ => Guid.CreateVersion7()).ToArray();
        // The streams exist before the timed append, as an evaluation's stream does when its results arrive. (Marten 9
        // appends to a stream being started event by event in quick mode; to an existing stream, in bulk.)
        await using (var opening = store.LightweightSession())
        {
            opening.LastModifiedBy = "system:bench";
            foreach (var id in streams) opening.Events.StartStream<CaseResults>(id, new CaseResultRecorded(id, "opening", 0, "none"));
            await opening.SaveChangesAsync();
        }
        GC.Collect();
        var watch = Stopwatch.StartNew();
        await using (var session = store.LightweightSession())
        {
            session.LastModifiedBy = "system:bench";
            foreach (var id in streams) session.Events.Append(id, Results(id, perStream).Cast<object>().ToArray());
            await session.SaveChangesAsync();
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var stored = await BenchDatabase.ScalarAsync(owner, $"select count(*) from {schema}.mt_events");
        if (stored != (long)(perStream + 1) * Streams) throw new InvalidOperationException($"{schema}: expected {(perStream + 1) * Streams} events, found {stored}");
        return seconds;
    }

    /// <summary>The same rows (id, stream, version, type, the event's JSON, actor) by binary COPY into a plain table; serialisation timed too.</summary>
    private static async Task<double> Copy(NpgsqlDataSource copy, int perStream)
    {
        await using var conn = await copy.OpenConnectionAsync();
        await using (var truncate = new NpgsqlCommand($"truncate {CopySchema}.events", conn)) await truncate.ExecuteNonQueryAsync();
        var streams = Enumerable.Range(0, Streams).Select(_ => Guid.CreateVersion7()).ToArray();
        GC.Collect();
        var watch = Stopwatch.StartNew();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await using (var writer = await conn.BeginBinaryImportAsync($"copy {CopySchema}.events (id, stream_id, version, type, data, user_name) from stdin (format binary)"))
            {
                foreach (var id in streams)
                {
                    var version = 0;
                    foreach (var result in Results(id, perStream))
                    {
                        await writer.StartRowAsync();
                        await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                        await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                        await writer.WriteAsync(++version, NpgsqlDbType.Integer);
                        await writer.WriteAsync("case_result_recorded", NpgsqlDbType.Text);
                        await writer.WriteAsync(JsonSerializer.Serialize(result), NpgsqlDbType.Jsonb);
                        await writer.WriteAsync("system:bench", NpgsqlDbType.Text);
                    }
                }
                await writer.CompleteAsync();
            }
            await tx.CommitAsync();
        }
        var seconds = watch.Elapsed.TotalSeconds;
        await using var count = new NpgsqlCommand($"select count(*) from {CopySchema}.events", conn);
        if ((long)(await count.ExecuteScalarAsync())! != (long)perStream * Streams) throw new InvalidOperationException("COPY lost rows");
        return seconds;
    }
}
