using Ai4h.Audit.Domain.Identity;

namespace Ai4h.Audit.Api.Security;

/// <summary>
/// A refusal that depends on the record's state rather than on the endpoint alone (e.g. a developer asking for
/// the rows of a benchmark whose whole test set is hidden). Answered 403 and recorded like any other refusal.
/// </summary>
public sealed class AccessForbidden(string reason, IReadOnlyList<Role> requiredAnyOf) : Exception(reason)
{
    public IReadOnlyList<Role> RequiredAnyOf { get; } = requiredAnyOf;
}
