namespace Ai4h.Audit.Domain.Identity;

public static class Accounts
{
    /// <summary>The events that open an account: the registration and its first API key.</summary>
    public static (UserRegistered Registered, ApiKeys.NewKey Key) Open(
        string userName, string printedName, string? organisation, IReadOnlyList<Role> roles, string keyLabel)
    {
        var userId = Guid.CreateVersion7();
        var registered = new UserRegistered(userId, userName.Trim(), printedName.Trim(),
            string.IsNullOrWhiteSpace(organisation) ? null : organisation.Trim(), roles.Distinct().ToList());
        return (registered, ApiKeys.Issue(userId, keyLabel));
    }
}
