using System.Diagnostics;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using JasperFx;
using Marten;
using Marten.Events;
using Microsoft.Extensions.Options;

namespace Ai4h.Audit.Api.Security;

/// <summary>
/// Re-authentication before an electronic signature (21 CFR 11.200(a)): the signer gives their own user name and
/// password in the signing request. Failures are recorded on the user's stream and lock signing after too many.
/// </summary>
public sealed class Reauthentication(IDocumentStore store, IOptions<SigningSecurity> options)
{
    private const int Attempts = 5;

    /// <summary>
    /// Returns the authenticated user's account when <paramref name="userName"/> and <paramref name="password"/> are
    /// theirs; otherwise records the failure (in its own transaction) and throws <see cref="ReauthenticationFailed"/>.
    /// Throws <see cref="SigningLockedOut"/> while signing is locked, and a 409 while the user has no password.
    /// </summary>
    public async Task<UserAccount> VerifyAsync(Guid authenticatedUserId, string userName, string password, string purpose, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(purpose) || purpose.Length > 200)
            throw DecisionRejected.Invalid("purpose", "must be 1 to 200 characters");
        // A request without credentials, or with absurd ones, is malformed: refused as such, not counted as a guess.
        if (string.IsNullOrWhiteSpace(userName) || userName.Length > 100)
            throw DecisionRejected.Invalid("userName", "give your own user name (1 to 100 characters) to sign");
        if (string.IsNullOrEmpty(password) || password.Length > 1024)
            throw DecisionRejected.Invalid("password", "give your password (1 to 1024 characters) to sign");

        DateTimeOffset now;
        UserAccount account;
        await using (var query = store.QuerySession())
        {
            account = await query.LoadAsync<UserAccount>(authenticatedUserId, ct) ?? throw DecisionRejected.NotFound("your account no longer exists");
            now = await RecordClock.NowAsync(query, ct);
        }

        // While locked the password is not even tried, so a locked account tells a guesser nothing.
        if (account.SigningLockedUntil is { } until && until > now) throw new SigningLockedOut(until, until - now);
        if (account.Password is null)
            throw DecisionRejected.Conflict("you have no password yet: set one with POST /api/users/me/password");

        // Signing is personal: another user's name is this user's failure, and that user's password is never tried
        // (nor their failures counted, which would let anyone lock anyone out).
        var verified = string.Equals(userName?.Trim(), account.UserName, StringComparison.OrdinalIgnoreCase)
            && Passwords.Verify(account.Password, password ?? "");

        if (verified)
        {
            if (account.SigningFailures > 0) await RecordAsync(authenticatedUserId, purpose, succeeded: true, ct);
            return account;
        }

        await RecordAsync(authenticatedUserId, purpose, succeeded: false, ct);
        throw new ReauthenticationFailed();
    }

    /// <summary>
    /// Appends the outcome in a transaction of its own, so that it survives the failing request. Appended at the
    /// stream version read, so two failures at once cannot both be counted as the fourth; the loser tries again.
    /// </summary>
    private async Task RecordAsync(Guid userId, string purpose, bool succeeded, CancellationToken ct)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<UserAccount>(userId, ct);
            var account = stream.Aggregate ?? throw DecisionRejected.NotFound("your account no longer exists");
            Stamp(session, account);
            if (succeeded)
            {
                stream.AppendOne(new ReauthenticationSucceeded(userId, purpose));
            }
            else
            {
                stream.AppendOne(new Domain.Identity.ReauthenticationFailed(userId, purpose));
                var now = await RecordClock.NowAsync(session, ct);
                var failures = 1 + await RecentFailuresAsync(session, account, now - settings.Window, settings.MaxFailures, ct);
                if (failures >= settings.MaxFailures) stream.AppendOne(new SigningLocked(userId, now + settings.LockFor, failures));
            }

            try
            {
                await session.SaveChangesAsync(ct);
                return;
            }
            catch (ConcurrencyException) when (attempt < Attempts)
            {
            }
        }
    }

    /// <summary>The account's failures since its last success, lock or new password that happened after <paramref name="since"/>.</summary>
    private static async Task<int> RecentFailuresAsync(IQuerySession session, UserAccount account, DateTimeOffset since, int atMost, CancellationToken ct)
    {
        if (account.SigningFailures == 0) return 0;
        // The latest SigningFailures failure events are exactly those since the last reset; their times come from
        // the database, like `since`.
        var latest = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == account.Id && e.EventTypesAre(typeof(Domain.Identity.ReauthenticationFailed)))
            .OrderByDescending(e => e.Version)
            .Take(Math.Min(account.SigningFailures, atMost))
            .ToListAsync(ct);
        return latest.Count(e => e.Timestamp > since);
    }

    private static void Stamp(IDocumentSession session, UserAccount account)
    {
        session.LastModifiedBy = account.UserName;
        session.CorrelationId = Activity.Current?.TraceId.ToString();
        session.SetHeader(RecordHeaders.ActorId, account.Id.ToString());
        session.SetHeader(RecordHeaders.ActorRoles, string.Join(",", account.Roles));
    }
}

/// <summary>The user name or password given to re-authenticate was wrong (401). Says nothing about which.</summary>
public sealed class ReauthenticationFailed() : Exception("Re-authentication failed: the user name or password is wrong.");

/// <summary>Signing is locked after too many failed re-authentications (423), until <see cref="Until"/>.</summary>
public sealed class SigningLockedOut(DateTimeOffset until, TimeSpan remaining)
    : Exception($"Too many failed re-authentications: signing is locked until {until.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}.")
{
    public DateTimeOffset Until { get; } = until;
    public TimeSpan Remaining { get; } = remaining;
}
