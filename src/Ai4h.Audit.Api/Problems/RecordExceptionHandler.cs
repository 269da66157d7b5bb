using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Annotations;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Record;
using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;

namespace Ai4h.Audit.Api;

/// <summary>
/// Maps what can go wrong while recording to RFC 9457 problem details: rule broken → 400, wrong signing password → 401,
/// missing record → 404, someone else wrote first → 409, body too large → 413, signing locked → 423, database unreachable → 503
/// (saying when the outcome of a write is unknown). Nothing is half-written: the failed unit of work rolls back.
/// </summary>
public sealed class RecordExceptionHandler(ILogger<RecordExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (Unwrap(exception) is AccessForbidden or NotYours or DutyViolation && context.User.Identity?.IsAuthenticated == true)
            await RefusalRecorder.RecordAsync(context.RequestServices.GetRequiredService<Marten.IDocumentStore>(), context,
                (Unwrap(exception) as AccessForbidden)?.RequiredAnyOf ?? []);

        var (status, title, detail, field) = Classify(exception);
        if (status >= 500) logger.LogError(exception, "Unhandled failure on {Method} {Path}", context.Request.Method, context.Request.Path);

        var extensions = new Dictionary<string, object?>();
        if (Unwrap(exception) is DefinitionRejected rejected)
            extensions["errors"] = rejected.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Rule).ToArray());
        else if (Unwrap(exception) is Domain.Audits.TemplateRejected template)
            extensions["errors"] = template.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Rule).ToArray());
        else if (Unwrap(exception) is DutyViolation duty)
            extensions["rule"] = duty.Rule;
        else if (field is not null)
            extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        if (status == 503 && DatabaseUnavailable(exception) is not null)
            context.Response.Headers.RetryAfter = "5";
        if (Unwrap(exception) is SigningLockedOut locked)
        {
            extensions["lockedUntil"] = locked.Until.ToUniversalTime();
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(locked.Remaining.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await ProblemResponses.Write(context, status, title, detail, extensions);
        return true;
    }

    internal static (int Status, string Title, string Detail, string? Field) Classify(Exception exception) => Unwrap(exception) switch
    {
        DecisionRejected { Kind: RejectionKind.Invalid } e => (400, "Invalid request", e.Rule, e.Field),
        ReauthenticationFailed e => (401, "Re-authentication failed", e.Message, null),
        DefinitionRejected e => (400, "Invalid definition", e.Message, null),
        AccessForbidden e => (403, "Forbidden", e.Message, null),
        NotYours e => (403, "Forbidden", e.Message, null),
        DutyViolation e => (403, "Separation of duties", e.Rule, null),
        Domain.Audits.TemplateRejected e => (400, "Invalid checklist template", e.Message, null),
        DecisionRejected { Kind: RejectionKind.NotFound } e => (404, "Not found", e.Rule, null),
        DecisionRejected { Kind: RejectionKind.Conflict } e => (409, "Conflict", e.Rule, null),
        // 423 rather than 429: the signing credential is locked for a stated time, not the client throttled.
        SigningLockedOut e => (423, "Signing locked", e.Message, null),
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException or ExistingStreamIdCollisionException =>
            (409, "Concurrent change", "Someone else changed this record first. Read it again and retry with its current version.", null),
        // The last line of defence for text the record cannot hold (jsonb refuses NUL and unpaired surrogates): the
        // input was bad, not the server.
        Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UntranslatableCharacter or Npgsql.PostgresErrorCodes.CharacterNotInRepertoire } =>
            (400, "Invalid text", "The request contains text the record cannot store (a NUL character or invalid Unicode).", null),
        Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } =>
            (409, "Already exists", "A record with the same unique name already exists.", null),
        UploadTooLarge e => (413, "Upload too large", e.Message, "file"),
        BadHttpRequestException { StatusCode: 413 } =>
            (413, "Upload too large", "The request body is larger than this server accepts (see Ai4h:MaxUploadBytes).", "file"),
        BadHttpRequestException e => (400, "Malformed request", e.Message, null),
        InvalidDataException e => (400, "Malformed request", e.Message, null),
        System.Text.Json.JsonException e => (400, "Malformed JSON", e.Message, e.Path),
        BlobIntegrityException e => (500, "Stored content failed its integrity check", e.Message, null),
        StoredEventUnreadable e => (500, "Stored event failed its integrity check", e.Message, null),
        // The connection broke, timed out or was ended by the server shutting down (SQLSTATE classes 08 and 57P): if that
        // happened during the commit, the write may have been recorded, so the client is told to read before retrying
        // rather than that nothing happened.
        Npgsql.NpgsqlException e when e is not Npgsql.PostgresException || ConnectionLost((Npgsql.PostgresException)e) =>
            (503, "Database unavailable", "The database could not be reached. If this was a write, whether it was recorded is unknown: read the record before retrying.", null),
        // The database refused for a passing reason (deadlock, too many connections): it reported the failure, so the
        // transaction did not commit.
        Npgsql.PostgresException { IsTransient: true } =>
            (503, "Database unavailable", "The database refused the request for a passing reason and nothing was recorded. Try again shortly.", null),
        Ledger.LedgerNotSigning e => (503, "Ledger signing unavailable", e.Message, null),
        // A lost connection surfacing as a follow-on failure (e.g. the transaction already disposed when rolled back).
        var e when DatabaseUnavailable(e) is { } cause => Classify(cause),
        _ => (500, "Internal error", "The request failed and nothing was recorded. The failure has been logged.", null),
    };

    /// <summary>The database failure beneath an exception, if the database was unreachable or refused for a passing reason.</summary>
    private static Npgsql.NpgsqlException? DatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is Npgsql.NpgsqlException db && (db is not Npgsql.PostgresException pg || ConnectionLost(pg) || pg.IsTransient))
                return db;
        return null;
    }

    private static bool ConnectionLost(Npgsql.PostgresException e) => e.SqlState.StartsWith("08", StringComparison.Ordinal)
        || e.SqlState.StartsWith("57P", StringComparison.Ordinal);

    /// <summary>Finds the cause a user can act on beneath framework wrappers (Marten wraps database errors).</summary>
    private static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerException: { } inner } => Unwrap(inner),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        Marten.Exceptions.MartenCommandException { InnerException: Npgsql.NpgsqlException inner } => inner,
        // A unique index on a read model (e.g. one template per key and version) refuses a second writer this way.
        JasperFx.DocumentAlreadyExistsException { InnerException: Npgsql.PostgresException inner } => inner,
        _ => e,
    };
}
