namespace Ai4h.Audit.Domain.Benchmarks;

/// <summary>A benchmark was defined (its version 1). The test data version is pinned by id, number and SHA-256.</summary>
public sealed record BenchmarkDefined(Guid BenchmarkId, int Version, BenchmarkDefinition Definition, string? Reason);

/// <summary>A benchmark was changed: a new version with the whole new definition and why. Earlier versions stand.</summary>
public sealed record BenchmarkRevised(Guid BenchmarkId, int Version, BenchmarkDefinition Definition, string Reason);

/// <summary>
/// The benchmark's leaderboard was published: from now on every developer may see every submission's evaluated
/// results for it (before, developers see only their own). <paramref name="Published"/> false withdraws it.
/// </summary>
public sealed record LeaderboardPublicationChanged(Guid BenchmarkId, bool Published, string Reason);

/// <summary>What part of a benchmark's sequestered test data was read.</summary>
public enum SequesteredContent
{
    /// <summary>Every column, reference labels included.</summary>
    FullTestSet,
    /// <summary>Case ids, features and subgroups, without the labels.</summary>
    CasesWithoutLabels,
}

/// <summary>
/// Someone read sequestered test data of a benchmark version: who (event metadata), when, which version and
/// bytes, and why. Every such read is recorded, the Runner's included, so that test-set use can be counted.
/// </summary>
public sealed record SequesteredDataRead(
    Guid BenchmarkId,
    int BenchmarkVersion,
    Guid DatasetId,
    int DatasetVersion,
    string DatasetSha256,
    SequesteredContent Content,
    string Purpose,
    Guid ReaderId,
    string ReaderRole);
