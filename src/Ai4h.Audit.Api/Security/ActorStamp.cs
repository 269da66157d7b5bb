using System.Diagnostics;
using System.Security.Claims;
using Ai4h.Audit.Domain.Record;
using Marten;

namespace Ai4h.Audit.Api.Security;

/// <summary>
/// Wolverine middleware on every endpoint: the session that records the request's events is stamped with the
/// authenticated actor, their roles and the request's correlation id. Timestamps come from PostgreSQL.
/// </summary>
public static class ActorStamp
{
    public static void Before(ClaimsPrincipal user, HttpContext context, IDocumentSession session)
    {
        if (user.Identity?.IsAuthenticated != true) return;
        var actor = Actor.From(user);
        session.LastModifiedBy = actor.UserName;
        session.CorrelationId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        session.SetHeader(RecordHeaders.ActorId, actor.UserId.ToString());
        session.SetHeader(RecordHeaders.ActorRoles, string.Join(",", actor.Roles));
    }
}
