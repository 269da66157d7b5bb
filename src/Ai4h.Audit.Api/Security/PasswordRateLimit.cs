using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Ai4h.Audit.Api.Security;

/// <summary>
/// How many password checks (re-authentication, signing, password change) one user may ask for within a sliding window
/// (configuration section <c>Ai4h:RateLimits:Passwords</c>, e.g. <c>Ai4h__RateLimits__Passwords__PermitLimit</c>).
/// Every such request costs a PBKDF2 derivation; the limit keeps one key from turning them into a denial of service or
/// a guessing engine. The signing lock (<see cref="SigningSecurity"/>) stays the answer to wrong passwords.
/// </summary>
public sealed class PasswordRateLimit
{
    public const string Section = "Ai4h:RateLimits:Passwords";

    /// <summary>The policy name endpoints give to <c>[EnableRateLimiting]</c>.</summary>
    public const string Policy = "passwords";

    /// <summary>Requests per window and user: enough to sign a whole 39-item checklist in one sitting.</summary>
    public int PermitLimit { get; set; } = 60;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    public int SegmentsPerWindow { get; set; } = 5;
}

public static class PasswordRateLimiting
{
    /// <summary>
    /// Registers the <see cref="PasswordRateLimit.Policy"/> policy: partitioned by the authenticated user (their id), or by
    /// the client's IP address on a route that nobody has authenticated for. A refusal is 429 with problem details and
    /// <c>Retry-After</c>; the password is not checked, and the first refusal in a window is recorded on the user's stream.
    /// </summary>
    public static IServiceCollection AddPasswordRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PasswordRateLimit>().Bind(configuration.GetSection(PasswordRateLimit.Section))
            .Validate(s => s.PermitLimit >= 1 && s.Window > TimeSpan.Zero && s.SegmentsPerWindow >= 1,
                "Ai4h:RateLimits:Passwords needs a positive PermitLimit, Window and SegmentsPerWindow.")
            .ValidateOnStart();
        services.AddSingleton<ThrottleRecorder>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(PasswordRateLimit.Policy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<PasswordRateLimit>>().Value;
                return RateLimitPartition.GetSlidingWindowLimiter(PartitionKey(context), _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = settings.PermitLimit,
                    Window = settings.Window,
                    SegmentsPerWindow = settings.SegmentsPerWindow,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    public static string PartitionKey(HttpContext context) =>
        context.User.FindFirstValue(ApiKeyAuthentication.UserIdClaim) is { } userId
            ? "user:" + userId
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var settings = context.RequestServices.GetRequiredService<IOptions<PasswordRateLimit>>().Value;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : settings.Window / settings.SegmentsPerWindow;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PasswordRateLimiting));
        logger.LogWarning("Throttled {Method} {Path} for {Partition}: more than {Limit} password checks within {Window}",
            context.Request.Method, context.Request.Path, PartitionKey(context), settings.PermitLimit, settings.Window);
        if (context.User.Identity?.IsAuthenticated == true)
            await context.RequestServices.GetRequiredService<ThrottleRecorder>().RecordOnceAsync(context, TimeSpan.FromSeconds(seconds), ct);

        await ProblemResponses.Write(context, StatusCodes.Status429TooManyRequests, "Too many password attempts",
            $"At most {settings.PermitLimit} password checks (re-authentication, signing, password change) are allowed per user within " +
            $"{settings.Window}. Try again in {seconds} s; the password was not checked.",
            new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }
}

/// <summary>
/// Records <see cref="PasswordChecksThrottled"/> on the user's stream at the first refusal of a throttling period only: the
/// refusal is evidence, but a client hammering the endpoint must not be able to grow the permanent record without bound.
/// </summary>
public sealed class ThrottleRecorder(IDocumentStore store)
{
    private readonly Dictionary<Guid, DateTimeOffset> _recordedUntil = new();

    public async Task RecordOnceAsync(HttpContext context, TimeSpan retryAfter, CancellationToken ct)
    {
        var actor = Actor.From(context.User);
        var now = DateTimeOffset.UtcNow;
        lock (_recordedUntil)
        {
            if (_recordedUntil.TryGetValue(actor.UserId, out var until) && until > now) return;
            _recordedUntil[actor.UserId] = now + retryAfter;
        }

        await using var session = store.LightweightSession();
        session.LastModifiedBy = actor.UserName;
        session.CorrelationId = context.TraceIdentifier;
        session.SetHeader(RecordHeaders.ActorId, actor.UserId.ToString());
        session.SetHeader(RecordHeaders.ActorRoles, string.Join(",", actor.Roles));
        session.Events.Append(actor.UserId, new PasswordChecksThrottled(actor.UserId, context.Request.Method, context.Request.Path.Value ?? ""));
        await session.SaveChangesAsync(ct);
    }
}
