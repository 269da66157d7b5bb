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
    /// <see cref="DossierEndpoints.BuildAsync"/> (a fresh query session each time, as a request has) against one plain
    /// Npgsql query that reads every byte of the same streams' events, in back-to-back pairs.
    /// </summary>
    public static async Task<Figure> RebuildVsRawRead(DatabaseConnections connections, Seeded seeded, int pairs)
    {
        await using var raw = NpgsqlDataSource.Create(connections.Owner);
        Dossier? dossier = null;
        long rawBytes = 0;
        async Task Build()
        {
            await using var session = seeded.Store.QuerySession();
            dossier = await DossierEndpoints.BuildAsync(session, seeded.SubmissionId, null, null, CancellationToken.None);
        }
        async Task Raw() => rawBytes = await RawReadAsync(raw, seeded.Streams);

        for (var i = 0; i < 20; i++) { await Build(); await Raw(); }
        if (dossier!.Events.Count != seeded.Events) throw new InvalidOperationException($"the dossier lists {dossier.Events.Count} events, the store holds {seeded.Events}");

        var buildTimes = new double[pairs];
        var rawTimes = new double[pairs];
        var ratios = new double[pairs];
        for (var i = 0; i < pairs; i++)
        {
            if (i % 2 == 0) { buildTimes[i] = await TimeAsync(Build); rawTimes[i] = await TimeAsync(Raw); }
            else { rawTimes[i] = await TimeAsync(Raw); buildTimes[i] = await TimeAsync(Build); }
            ratios[i] = rawTimes[i] / buildTimes[i];
        }
        var ratio = Timings.MedianOf(ratios);
        Console.WriteLine($"  dossier of {dossier.Events.Count} events in {seeded.Streams.Length} streams ({dossier.Audit?.Answers.Count} answers, " +
                          $"{dossier.Audit?.AllSignatures.Count} signatures, {dossier.Audit?.AllDecisions.Count} decision); raw read {rawBytes:N0} bytes");
        return new Figure($"Dossier rebuild vs raw read of its {dossier.Events.Count} events", "raw read time ÷ rebuild time ≥ 50 %",
            $"rebuild {Timings.Ms(Timings.MedianOf(buildTimes))}, raw read {Timings.Ms(Timings.MedianOf(rawTimes))} (medians of {pairs} pairs)",
            $"{ratio:P1}", ratio >= RebuildGoal);
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
        for (var i = 0; i < 20; i++) { await Build(small.Store, small.SubmissionId); await Build(largeStore, largeSubmission); }
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

    /// <summary>Every byte of the given streams' events, with the metadata a dossier shows, in one query.</summary>
    private static async Task<long> RawReadAsync(NpgsqlDataSource raw, Guid[] streams)
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
