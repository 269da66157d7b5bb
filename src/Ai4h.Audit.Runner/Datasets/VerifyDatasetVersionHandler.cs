using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Record;
using JasperFx.Core;
using Marten;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Ai4h.Audit.Runner.Datasets;

/// <summary>Reads an uploaded version back from the blob store and records whether it is intact.</summary>
public static class VerifyDatasetVersionHandler
{
    /// <summary>
    /// A steward's upload or campaign close can append to the same data set stream between this handler's read and its
    /// append. The verdict is then judged again on a fresh read, instead of the message going to the dead letters and the
    /// version staying "Pending" for good.
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException(StreamConflicts.IsConflict, "another writer appended to the data set's stream")
            .RetryWithCooldown(50.Milliseconds(), 250.Milliseconds(), 1.Seconds(), 5.Seconds());

    public static async Task Handle(VerifyDatasetVersion command, IDocumentSession session, ILogger logger, CancellationToken ct)
    {
        RunnerIdentity.Stamp(session);
        var stream = await session.Events.FetchForWriting<Dataset>(command.DatasetId, ct);
        if (stream.Aggregate is null)
        {
            logger.LogError("Asked to verify version {Version} of unknown data set {DatasetId}", command.Version, command.DatasetId);
            return;
        }

        byte[]? stored = null;
        string? problem = null;
        try { stored = await BlobStore.ReadAsync(session, command.Sha256, ct); }
        catch (BlobIntegrityException e) { problem = e.Message; }

        var verdict = DatasetDecisions.Verify(stream.Aggregate, command.Version, stored, problem, RunnerIdentity.Describe());
        if (verdict is null) return; // already judged: a redelivered message changes nothing
        stream.AppendOne(verdict);
        logger.LogInformation("Data set {DatasetId} version {Version}: {Verdict}", command.DatasetId, command.Version, verdict.GetType().Name);
    }
}
