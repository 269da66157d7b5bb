using Microsoft.AspNetCore.Mvc;

namespace Ai4h.Audit.Api;

/// <summary>Writes RFC 9457 problem details from places that have no endpoint result to return.</summary>
public static class ProblemResponses
{
    public static async Task Write(HttpContext context, int status, string title, string detail,
        IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path };
        foreach (var (k, v) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[k] = v;
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        context.Response.StatusCode = status;
        await writer.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
