using System.Threading.RateLimiting;
using Ai4h.Audit.Api.Security;
using Microsoft.Extensions.Options;

namespace Ai4h.Audit.Api.Web;

/// <summary>
/// How many sign-in attempts one account may take within the password checks' window (<see cref="PasswordRateLimit"/>):
/// per account rather than per address, because guessing one person's password is the threat and a hospital's whole
/// network may share one address. Past the limit the password is not checked.
/// </summary>
public sealed class SignInThrottle(IOptions<PasswordRateLimit> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(account =>
        RateLimitPartition.GetSlidingWindowLimiter(account, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.Value.PermitLimit,
            Window = options.Value.Window,
            SegmentsPerWindow = options.Value.SegmentsPerWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);

    /// <summary>True when an attempt for this (lower-cased) user name may go ahead now.</summary>
    public bool TryAttempt(string userName)
    {
        using var lease = _limiter.AttemptAcquire(userName.ToLowerInvariant());
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
