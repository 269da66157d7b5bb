using System.Security.Claims;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Annotations;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ai4h.Audit.Api.Web;

/// <summary>
/// Base of the pages that read the record with the Api's own query code. A refusal or a missing record becomes a
/// message on the page (and a refusal is recorded, exactly as the Api records it).
/// </summary>
public abstract class WebPage : PageModel
{
    /// <summary>Why the page could not show what was asked, in words.</summary>
    public string? Problem { get; protected set; }

    public Actor Me => Actor.From(User);

    protected async Task<T?> ReadAsync<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is DecisionRejected or AccessForbidden or NotYours)
        {
            var (status, title, detail, _) = RecordExceptionHandler.Classify(e);
            if (status == 403)
                await RefusalRecorder.RecordAsync(HttpContext.RequestServices.GetRequiredService<IDocumentStore>(), HttpContext,
                    (e as AccessForbidden)?.RequiredAnyOf ?? []);
            Problem = $"{title} (HTTP {status}): {detail}";
            return null;
        }
    }
}

public static class WebPages
{
    /// <summary>A request for a page rather than for the Api (which answers in problem details).</summary>
    public static bool IsPage(HttpRequest r) =>
        !r.Path.StartsWithSegments("/api") && !r.Path.StartsWithSegments("/openapi") && !r.Path.StartsWithSegments("/health");

    public static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "";
}
