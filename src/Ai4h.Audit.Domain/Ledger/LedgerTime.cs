using System.Globalization;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>Event time as the ledger records it: whole microseconds since 1970-01-01T00:00:00Z (PostgreSQL's resolution).</summary>
public static class LedgerTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>
    /// Microseconds since the Unix epoch, rounded toward negative infinity: .NET keeps 100 ns ticks, PostgreSQL keeps
    /// microseconds, and flooring (not truncating toward zero) gives the same answer on either side of 1970.
    /// </summary>
    public static long ToUnixMicroseconds(DateTimeOffset timestamp)
    {
        var (quotient, remainder) = Math.DivRem(timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, TimeSpan.TicksPerMicrosecond);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);

    /// <summary>ISO 8601 in UTC with exactly six fractional digits, e.g. 2025-03-01T09:30:00.123456Z (floored to the microsecond).</summary>
    public static string ToIso(DateTimeOffset timestamp) =>
        FromUnixMicroseconds(ToUnixMicroseconds(timestamp)).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Parses an ISO 8601 time with an explicit offset or Z; a time without one is refused rather than guessed.</summary>
    public static DateTimeOffset ParseIso(string text)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            || !(text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T')))
            throw new FormatException($"'{text}' is not an ISO 8601 time with a time zone (e.g. 2025-03-01T09:30:00.123456Z).");
        return value;
    }
}
