using System.Globalization;

namespace Ai4h.Audit.Domain.Record;

/// <summary>
/// What text the record accepts. Everything must be storable: no NUL (PostgreSQL's jsonb cannot hold it) and no unpaired
/// surrogate (not Unicode at all). Names shown to people (file, data set, model and printed names) must also read as
/// what they are: no control characters and no invisible formatting characters (zero-width spaces and joiners,
/// right-to-left overrides and other bidirectional controls), which would let "invoice" + U+202E + "fdp.exe" display as "invoiceexe.pdf".
/// </summary>
public static class Text
{
    public const int MaxReason = 2000;

    /// <summary>Why <paramref name="value"/> cannot be stored, or null when it can.</summary>
    public static string? StorageProblem(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0') return "contains a NUL character";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return "contains an unpaired surrogate (not valid Unicode)";
        }
        return null;
    }

    /// <summary>Why <paramref name="value"/> would not read as the name it claims to be, or null when it is fine.</summary>
    public static string? NameProblem(string value)
    {
        if (StorageProblem(value) is { } problem) return problem;
        foreach (var c in value)
        {
            if (char.IsControl(c)) return "contains control characters";
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
                return $"contains the invisible formatting character U+{(int)c:X4} (zero-width or text-direction control)";
        }
        return null;
    }

    /// <summary>Nothing a reader could see: null, empty, or only white space and invisible formatting characters.</summary>
    public static bool IsBlank(string? value) =>
        value is null || value.All(c => char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format);

    /// <summary>An optional reason for a change as recorded: trimmed, null when blank; refused when too long or unstorable.</summary>
    public static string? Reason(string? reason, string field = "reason")
    {
        if (IsBlank(reason)) return null;
        if (reason!.Length > MaxReason) throw DecisionRejected.Invalid(field, $"must be at most {MaxReason} characters");
        if (StorageProblem(reason) is { } problem) throw DecisionRejected.Invalid(field, problem);
        return reason.Trim();
    }
}
