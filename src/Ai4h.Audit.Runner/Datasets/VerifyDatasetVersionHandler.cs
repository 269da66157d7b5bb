using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Record;
using Marten;

namespace Ai4h.Audit.Runner.Datasets;

/// <summary>Reads an uploaded version back from the blob store and records whether it is intact.</summary>
public static class VerifyDatasetVersionHandler
{
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
