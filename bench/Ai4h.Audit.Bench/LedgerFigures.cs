using Ai4h.Audit.Api.Ledger;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Ledger;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Ai4h.Audit.Bench;

/// <summary>The ledger's figures: proofs at a million leaves (O(log n)), and the sequencer against the event append rate.</summary>
public static class LedgerFigures
{
    public const int GoalLeaves = 1_000_000;

    /// <summary>Inclusion and consistency proofs at <paramref name="leaves"/> leaves, against the same at 1,000 leaves.</summary>
    public static Figure Proofs(int leaves)
    {
        var big = Build(leaves);
        var small = Build(1000);
        var atBig = PerProof(big);
        var atSmall = PerProof(small);
        Console.WriteLine($"  per proof (inclusion + consistency): {Micro(atBig)} at {leaves:N0} leaves, {Micro(atSmall)} at 1,000 leaves");
        // O(log n): a thousandfold larger tree should cost about twice as much per proof (log2 10^6 / log2 10^3), not a thousand times.
        var ratio = atBig / atSmall;
        return new Figure($"Inclusion + consistency proof, {leaves:N0} leaves", "O(log n): ≲ 4 × the cost at 1,000 leaves",
            $"{Micro(atBig)} per pair of proofs", $"{ratio:F2} × the 1,000-leaf cost", leaves == GoalLeaves ? ratio <= 4 : null);
    }

    private static MerkleLog Build(int leaves)
    {
        var log = new MerkleLog();
        var stream = Guid.NewGuid();
        var data = new string('0', 64);
        var started = DateTimeOffset.UtcNow;
        var seconds = Timings.Once(() =>
        {
            for (var i = 1; i <= leaves; i++)
                log.Append(LedgerLeaf.ForEvent(i, stream, i, "dataset_registered", started.AddTicks(i * 10), "bench", data).Hash);
        });
        if (leaves >= GoalLeaves) Console.WriteLine($"  built {leaves:N0} leaves (canonical encoding, leaf hash, tree) in {seconds:F2} s: {leaves / seconds:N0} leaves/s in memory");
        return log;
    }

    private static double PerProof(MerkleLog log)
    {
        var rng = new Random(5);
        var size = log.Size;
        var picks = Enumerable.Range(0, 2000).Select(_ => (Index: rng.NextInt64(size), Old: 1 + rng.NextInt64(size))).ToArray();
        foreach (var (index, old) in picks.Take(200)) { log.InclusionProof(index, size); log.ConsistencyProof(old, size); } // warm-up
        return Timings.Of(() =>
        {
            foreach (var (index, old) in picks) { log.InclusionProof(index, size); log.ConsistencyProof(old, size); }
        }, warmups: 1, repetitions: 5).Median / picks.Length;
    }

    /// <summary>
    /// Appends events as the Api does (one per transaction, 16 writers at once) and then lets the sequencer catch up on
    /// them; the sequencer keeps up when its leaves per second are at least the append rate.
    /// </summary>
    public static async Task<Figure> SequencerVsAppend(string connectionString, int events)
    {
        using var store = DocumentStore.For(opts => RecordStore.Configure(opts, connectionString, migrate: false));
        const int writers = 16;
        var appendSeconds = await TimeAsync(() => Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            for (var i = 0; i < events / writers; i++)
            {
                await using var session = store.LightweightSession();
                session.LastModifiedBy = "bench";
                var id = Guid.CreateVersion7();
                session.Events.StartStream<Dataset>(id, new DatasetRegistered(id, $"bench {w}/{i}", "d", "o", "u", "l", "m", "t"));
                await session.SaveChangesAsync();
            }
        })));
        var appended = events / writers * writers;

        var settings = new LedgerSettings { BatchSize = 5000 };
        var ledger = new LedgerService(DatabaseConnections.From(connectionString, null), Options.Create(settings), NullLogger<LedgerService>.Instance);
        var sequencer = new LedgerSequencer(ledger, NullLogger<LedgerSequencer>.Instance);
        long sequenced = 0;
        var sequenceSeconds = await TimeAsync(async () =>
        {
            while (await sequencer.SequenceOnceAsync(CancellationToken.None) is var n && n > 0) sequenced += n;
        });

        var appendRate = appended / appendSeconds;
        var leafRate = sequenced / sequenceSeconds;
        Console.WriteLine($"  appended {appended:N0} events in {appendSeconds:F2} s ({appendRate:N0}/s, {writers} writers, one event per transaction); " +
                          $"sequenced {sequenced:N0} leaves in {sequenceSeconds:F2} s ({leafRate:N0}/s)");
        return new Figure($"Ledger sequencer vs event append rate, {appended:N0} events", "leaves/s ≥ appends/s (keeps up)",
            $"{leafRate:N0} leaves/s vs {appendRate:N0} events/s", $"{leafRate / appendRate:F1} ×", leafRate >= appendRate);
    }

    private static async Task<double> TimeAsync(Func<Task> run)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await run();
        return watch.Elapsed.TotalSeconds;
    }

    private static string Micro(double seconds) => $"{seconds * 1e6:F1} µs";
}
