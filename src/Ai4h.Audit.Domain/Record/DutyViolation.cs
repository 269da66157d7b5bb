namespace Ai4h.Audit.Domain.Record;

/// <summary>
/// A command that would break separation of duties (e.g. auditing one's own organisation's model). Answered 403 with
/// the rule, and recorded as a security event like any refusal.
/// </summary>
public sealed class DutyViolation(string rule) : Exception(rule)
{
    public string Rule { get; } = rule;
}
