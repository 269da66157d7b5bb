using System.Diagnostics;
using Ai4h.Audit.Api.Dossiers;
using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Marten;
using Npgsql;

namespace Ai4h.Audit.Bench;

/// <summary>
/// Dossier reads (issue 8): building a submission's dossier from its events against a raw read of the same events, and
/// its latency as the store fills with unrelated events. Both on a store of their own (schema <see cref="Schema"/>).
/// </summary>
public static class DossierReadFigures
{
    public const string Schema = "bench_dossier";
    public const double RebuildGoal = 0.50;
    public const double FlatGoal = 2.0;
    public const int SmallStore = 10_000;
    public const int LargeStore = 1_000_000;

    /// <summary>A store with one audited submission; disposed by the caller.</summary>
    public sealed record Seeded(DocumentStore Store, Guid SubmissionId, Guid[] Streams, int Events);

    public static async Task<Seeded> SeedAsync(DatabaseConnections connections)
    {
        var store = await BenchDatabase.FreshStoreAsync(connections, Schema);
        var (submissionId, streams) = await AuditedSubmissionEvents.AppendAsync(store);
        var events = (int)await BenchDatabase.ScalarAsync(connections.Owner, $"select count(*) from {Schema}.mt_events");
        return new Seeded(store, submissionId, streams, events);
    }

    /// <summary>
    /// <see cref="DossierEndpoints.BuildAsync"/> against two reads of the same streams' events, each in a fresh query
    /// session as a request has, in rounds whose order rotates:
    /// <list type="bullet">
    /// <item>the raw read of the events (the goal's yardstick): every event read and decoded into its envelope and .NET
    /// type in one statement by <see cref="StreamReads"/>, the fastest way this code base has to read events, and
    /// nothing else: no lookup of which streams, no folding, no dossier, no hash;</item>
    /// <item>the bare rows: one plain Npgsql query that takes every byte of the same rows as text and decodes nothing,
    /// shown beside it so the cost of decoding itself is on the table too.</item>
    /// </list>
    /// Returns the goal's figure and the bare-rows figure (no goal: what is left above the bytes).
    /// </summary>
    public static async Task<Figure[]> RebuildVsRawRead(DatabaseConnections connections, Seeded seeded, int rounds)
    {
        await using var bare = NpgsqlDataSource.Create(connections.Owner);
        Dossier? dossier = null;
        long bareBytes = 0;
        var eventsRead = 0;
        async Task Build()
        {
            await using var session = seeded.Store.QuerySession();
            dossier = await DossierEndpoints.BuildAsync(session, seeded.SubmissionId, null, null, CancellationToken.None);
        }
        async Task ReadEvents()
        {
            await using var session = seeded.Store.QuerySession();
            eventsRead = (await StreamReads.ReadAsync(session, seeded.Streams, CancellationToken.None)).Values.Sum(events => events.Count);
        }
        async Task ReadBareRows() => bareBytes = await BareRowsAsync(bare, seeded.Streams);
        Func<Task>[] runs = [Build, ReadEvents, ReadBareRows];

        // Long enough for the JIT's tiers to settle on every path (about 30 calls, then a background recompile).
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < 300 || warm.Elapsed < TimeSpan.FromSeconds(3); i++)
            foreach (var run in runs) await run();
        if (dossier!.Events.Count != seeded.Events || eventsRead != seeded.Events)
            throw new InvalidOperationException($"the dossier lists {dossier.Events.Count} events and the read {eventsRead}; the store holds {seeded.Events}");

        var times = new double[runs.Length][];
        for (var r = 0; r < runs.Length; r++) times[r] = new double[rounds];
        for (var i = 0; i < rounds; i++)
            for (var k = 0; k < runs.Length; k++)
            {
                var r = (i + k) % runs.Length;
                times[r][i] = await TimeAsync(runs[r]);
            }
        var (build, events, rows) = (times[0], times[1], times[2]);
        var toEvents = Timings.MedianOf(build.Select((b, i) => events[i] / b));
        var toRows = Timings.MedianOf(build.Select((b, i) => rows[i] / b));
        Console.WriteLine($"  dossier of {dossier.Events.Count} events in {seeded.Streams.Length} streams ({dossier.Audit?.Answers.Count} answers, " +
                          $"{dossier.Audit?.AllSignatures.Count} signatures, {dossier.Audit?.AllDecisions.Count} decision); bare rows {bareBytes:N0} bytes; " +
                          $"the bare rows take {Timings.MedianOf(events.Select((e, i) => rows[i] / e)):P0} of the raw read's time, decoding the rest");
        var medians = $"rebuild {Timings.Ms(Timings.MedianOf(build))}, raw read {Timings.Ms(Timings.MedianOf(events))}, bare rows {Timings.Ms(Timings.MedianOf(rows))} " +
                      $"(medians of {rounds} rounds)";
        return
        [
            new Figure($"Dossier rebuild vs raw read of its {dossier.Events.Count} events", "raw read time ÷ rebuild time ≥ 50 %", medians,
                $"{toEvents:P1}", toEvents >= RebuildGoal),
            new Figure("Dossier rebuild vs bare rows of the same events (nothing decoded)", "none: shown for the cost of decoding", medians,
                $"{toRows:P1}", null),
        ];
    }

    /// <summary>
    /// Dossier build latency in two stores that hold the same kind of audited submission: one topped up to
    /// <see cref="SmallStore"/> events, the other to <paramref name="large"/>, the rest of them unrelated (other campaigns'
    /// labels, inserted by SQL as Marten would have stored them). Reads alternate between the two stores, so both see
    /// the same machine load.
    /// </summary>
    public static async Task<Figure> LatencyAsStoreGrows(DatabaseConnections connections, Seeded small, int large, int reads)
    {
        const string largeSchema = Schema + "_large";
        using var largeStore = await BenchDatabase.FreshStoreAsync(connections, largeSchema);
        var (largeSubmission, _) = await AuditedSubmissionEvents.AppendAsync(largeStore);
        var fill = Stopwatch.StartNew();
        await FillAsync(connections.Owner, Schema, SmallStore);
        await FillAsync(connections.Owner, largeSchema, large);
        var filled = fill.Elapsed.TotalSeconds;
        var total = await BenchDatabase.ScalarAsync(connections.Owner, $"select count(*) from {largeSchema}.mt_events");

        static async Task Build(IDocumentStore store, Guid submission)
        {
            await using var session = store.QuerySession();
            await DossierEndpoints.BuildAsync(session, submission, null, null, CancellationToken.None);
        }
        for (var i = 0; i < 300; i++) { await Build(small.Store, small.SubmissionId); await Build(largeStore, largeSubmission); }
        var atSmall = new double[reads];
        var atLarge = new double[reads];
        for (var i = 0; i < reads; i++)
        {
            if (i % 2 == 0) { atSmall[i] = await TimeAsync(() => Build(small.Store, small.SubmissionId)); atLarge[i] = await TimeAsync(() => Build(largeStore, largeSubmission)); }
            else { atLarge[i] = await TimeAsync(() => Build(largeStore, largeSubmission)); atSmall[i] = await TimeAsync(() => Build(small.Store, small.SubmissionId)); }
        }
        Array.Sort(atSmall);
        Array.Sort(atLarge);

        var (p50s, p99s, p50b, p99b) = (Pct(atSmall, 0.5), Pct(atSmall, 0.99), Pct(atLarge, 0.5), Pct(atLarge, 0.99));
        Console.WriteLine($"  {SmallStore:N0} events: p50 {Timings.Ms(p50s)}, p99 {Timings.Ms(p99s)}; {total:N0} events: p50 {Timings.Ms(p50b)}, p99 {Timings.Ms(p99b)} " +
                          $"({reads} reads each, alternating; filling took {filled:F1} s in all)");
        var ratio = p99b / p99s;
        return new Figure($"Dossier read latency, {SmallStore:N0} vs {total:N0} events in the store", $"flat: p99 at {LargeStore:N0} ≤ {FlatGoal:0} × p99 at {SmallStore:N0}",
            $"p50/p99 {Timings.Ms(p50s)}/{Timings.Ms(p99s)} at {SmallStore:N0}, {Timings.Ms(p50b)}/{Timings.Ms(p99b)} at {total:N0}",
            $"p99 {ratio:F2} ×, p50 {p50b / p50s:F2} ×", total >= LargeStore ? ratio <= FlatGoal : null);
    }

    private static double Pct(double[] sorted, double p) => ApiWriteFigures.Percentile(sorted, p);

    /// <summary>Every byte of the given streams' event rows as text, in one query; nothing decoded.</summary>
    private static async Task<long> BareRowsAsync(NpgsqlDataSource raw, Guid[] streams)
    {
        await using var cmd = raw.CreateCommand(
            $"select seq_id, id, stream_id, version, type, data, timestamp, user_name, headers from {Schema}.mt_events where stream_id = any($1) order by seq_id");
        cmd.Parameters.Add(new NpgsqlParameter { Value = streams });
        await using var reader = await cmd.ExecuteReaderAsync();
        long bytes = 0;
        while (await reader.ReadAsync())
        {
            bytes += 8 + 16 + 16 + 8 + 8;
            reader.GetInt64(0);
            reader.GetGuid(1);
            reader.GetGuid(2);
            reader.GetInt64(3);
            bytes += reader.GetString(4).Length;
            bytes += reader.GetString(5).Length;
            reader.GetFieldValue<DateTimeOffset>(6);
            bytes += reader.IsDBNull(7) ? 0 : reader.GetString(7).Length;
            bytes += reader.IsDBNull(8) ? 0 : reader.GetString(8).Length;
        }
        return bytes;
    }

    /// <summary>
    /// Tops the store up to <paramref name="target"/> events with unrelated annotation labels, 100 per campaign stream, in
    /// one SQL statement per table: rows as Marten's quick append writes them (sequence, version, type, .NET type, JSON,
    /// metadata), so Marten reads them like any other.
    /// </summary>
    private static async Task FillAsync(string owner, string schema, int target)
    {
        var have = await BenchDatabase.ScalarAsync(owner, $"select count(*) from {schema}.mt_events");
        var missing = target - have;
        if (missing <= 0) return;
        const int perStream = 100;
        var streams = (missing + perStream - 1) / perStream;
        var first = await BenchDatabase.ScalarAsync(owner, $"select count(*) from {schema}.mt_streams");
        var dotnetType = typeof(Domain.Annotations.CaseLabelled).FullName + ", " + typeof(Domain.Annotations.CaseLabelled).Assembly.GetName().Name;
        var watch = Stopwatch.StartNew();
        await BenchDatabase.ExecuteAsync(owner, $"""
            insert into {schema}.mt_streams (id, type, version, timestamp, created, tenant_id, is_archived)
            select md5('filler' || s)::uuid, 'annotation_campaign', case when s = {first} + {streams} - 1 then {missing} - ({streams} - 1) * {perStream} else {perStream} end, now(), now(), '*DEFAULT*', false
              from generate_series({first}, {first} + {streams} - 1) s;
            insert into {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, headers, user_name, is_archived)
            select nextval('{schema}.mt_events_sequence'), gen_random_uuid(), md5('filler' || (n / {perStream}))::uuid, n % {perStream} + 1,
                   jsonb_build_object('campaignId', md5('filler' || (n / {perStream}))::uuid, 'caseId', 'case-' || (n % {perStream}),
                                      'annotatorId', md5('reader' || (n % 7))::uuid, 'value', case when n % 3 = 0 then 'malignant' else 'benign' end,
                                      'confidence', 0.9, 'comment', null),
                   'case_labelled', now(), '*DEFAULT*', '{dotnetType}', md5(n::text),
                   jsonb_build_object('actor-id', md5('reader' || (n % 7))::uuid, 'actor-roles', 'Annotator'), 'reader' || (n % 7), false
              from generate_series({first} * {perStream}, {first} * {perStream} + {missing} - 1) n;
            analyze {schema}.mt_events;
            analyze {schema}.mt_streams;
            """);
        Console.WriteLine($"  filled {missing:N0} unrelated events in {streams:N0} streams in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<double> TimeAsync(Func<Task> run)
    {
        var start = Stopwatch.GetTimestamp();
        await run();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
