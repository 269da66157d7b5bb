using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Marten;

namespace Ai4h.Audit.Api.Web;

/// <summary>
/// Web sessions on the record (21 CFR 11.10(e)): who signed in and out of the web application, and when (server time),
/// on the user's own stream, each in its own transaction.
/// </summary>
public static class WebSessions
{
    public const string Channel = "web";

    public static Task SignedInAsync(IDocumentStore store, HttpContext context, UserAccount account, CancellationToken ct) =>
        RecordAsync(store, context, new Actor(account.Id, account.UserName, [.. account.Roles]), new SignedIn(account.Id, Channel), ct);

    public static Task SignedOutAsync(IDocumentStore store, HttpContext context, Actor actor, CancellationToken ct) =>
        RecordAsync(store, context, actor, new SignedOut(actor.UserId, Channel), ct);

    private static async Task RecordAsync(IDocumentStore store, HttpContext context, Actor actor, object e, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = actor.UserName;
        session.CorrelationId = context.TraceIdentifier;
        session.SetHeader(RecordHeaders.ActorId, actor.UserId.ToString());
        session.SetHeader(RecordHeaders.ActorRoles, string.Join(",", actor.Roles));
        session.Events.Append(actor.UserId, e);
        await session.SaveChangesAsync(ct);
    }
}
