using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Ai4h.Audit.Api.Security;

/// <summary>
/// Turns authorization failures into problem details, and records every refusal of an authenticated user as an
/// <see cref="AccessRefused"/> event on their account stream: a refused attempt is itself evidence.
/// </summary>
public sealed class RefusalRecorder(IDocumentStore store, ILogger<RefusalRecorder> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            var required = policy.Requirements.OfType<RolesAuthorizationRequirement>()
                .SelectMany(r => r.AllowedRoles)
                .Select(Enum.Parse<Role>)
                .Distinct()
                .ToList();
            await RecordAsync(store, context, required);
            logger.LogWarning("Refused {Method} {Path} to {User}", context.Request.Method, context.Request.Path, context.User.Identity.Name);
            if (Web.WebPages.IsPage(context.Request))
            {
                context.Response.Redirect("/forbidden");
                return;
            }
            await ProblemResponses.Write(context, StatusCodes.Status403Forbidden, "Forbidden",
                $"Your roles do not allow {context.Request.Method} {context.Request.Path}. Required: one of {string.Join(", ", required)}.");
            return;
        }

        await _default.HandleAsync(next, context, policy, result);
    }

    /// <summary>Appends <see cref="AccessRefused"/> in its own transaction: the refused request's own work is discarded.</summary>
    public static async Task RecordAsync(IDocumentStore store, HttpContext context, IReadOnlyList<Role> required)
    {
        var actor = Actor.From(context.User);
        await using var session = store.LightweightSession();
        session.LastModifiedBy = actor.UserName;
        session.CorrelationId = context.TraceIdentifier;
        session.SetHeader(RecordHeaders.ActorId, actor.UserId.ToString());
        session.Events.Append(actor.UserId,
            new AccessRefused(actor.UserId, context.Request.Method, context.Request.Path.Value ?? "", required));
        await session.SaveChangesAsync(context.RequestAborted);
    }
}
