namespace Ai4h.Audit.Domain.Benchmarks;

public sealed record BenchmarkVersion(int Version, BenchmarkDefinition Definition, string? Reason);

/// <summary>A reader of sequestered data and how often they read it.</summary>
public sealed record TestSetReader(Guid ReaderId, string ReaderRole, SequesteredContent Content, int Reads);

/// <summary>A benchmark with every version it has had, and the accounting of reads of its test data (inline).</summary>
public sealed record Benchmark(Guid Id, IReadOnlyList<BenchmarkVersion> Versions, IReadOnlyList<TestSetReader> Readers,
    bool LeaderboardPublished = false)
{
    public long Version { get; set; }

    public BenchmarkVersion Current => Versions[^1];

    public static Benchmark Create(BenchmarkDefined e) => new(e.BenchmarkId, [new BenchmarkVersion(e.Version, e.Definition, e.Reason)], []);

    public Benchmark Apply(BenchmarkRevised e) =>
        this with { Versions = [.. Versions, new BenchmarkVersion(e.Version, e.Definition, e.Reason)] };

    public Benchmark Apply(LeaderboardPublicationChanged e) => this with { LeaderboardPublished = e.Published };

    public Benchmark Apply(SequesteredDataRead e)
    {
        var existing = Readers.FirstOrDefault(r => r.ReaderId == e.ReaderId && r.Content == e.Content);
        return this with
        {
            Readers = existing is null
                ? [.. Readers, new TestSetReader(e.ReaderId, e.ReaderRole, e.Content, 1)]
                : [.. Readers.Select(r => r == existing ? r with { Reads = r.Reads + 1 } : r)],
        };
    }
}
