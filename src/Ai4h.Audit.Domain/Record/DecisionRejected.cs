namespace Ai4h.Audit.Domain.Record;

/// <summary>Why a decision function refused a command. The Api turns this into problem details.</summary>
public enum RejectionKind
{
    /// <summary>The input breaks a rule (400).</summary>
    Invalid,
    /// <summary>The record referred to does not exist (404).</summary>
    NotFound,
    /// <summary>The record is in a state that forbids the command (409).</summary>
    Conflict,
}

/// <summary>A refused command: which field (if any), and the rule that was broken.</summary>
public sealed class DecisionRejected(RejectionKind kind, string rule, string? field = null)
    : Exception(field is null ? rule : $"{field}: {rule}")
{
    public RejectionKind Kind { get; } = kind;
    public string Rule { get; } = rule;
    public string? Field { get; } = field;

    public static DecisionRejected Invalid(string field, string rule) => new(RejectionKind.Invalid, rule, field);
    public static DecisionRejected NotFound(string what) => new(RejectionKind.NotFound, what);
    public static DecisionRejected Conflict(string rule) => new(RejectionKind.Conflict, rule);
}
