using Marten;
using Marten.Services;

namespace Ai4h.Audit.Domain.Record;

/// <summary>Refuses to commit events from a session that has no actor (user name) set: ALCOA+ "attributable".</summary>
public sealed class ActorRequired : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var appendsEvents = session.PendingChanges.Streams().Any(s => s.Events.Count > 0);
        if (appendsEvents && string.IsNullOrWhiteSpace(session.LastModifiedBy))
            throw new InvalidOperationException("Events must be appended by a named actor: set the session's LastModifiedBy.");
        return Task.CompletedTask;
    }
}
