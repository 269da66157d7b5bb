using System.Security.Claims;
using Ai4h.Audit.Domain.Identity;

namespace Ai4h.Audit.Api.Security;

/// <summary>The authenticated person behind a request, as recorded with every event they cause.</summary>
public sealed record Actor(Guid UserId, string UserName, IReadOnlyList<Role> Roles)
{
    public static Actor From(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ApiKeyAuthentication.UserIdClaim)
            ?? throw new InvalidOperationException("The request is not authenticated.");
        var roles = user.FindAll(ClaimTypes.Role).Select(c => Enum.Parse<Role>(c.Value)).ToList();
        return new Actor(Guid.Parse(id), user.Identity!.Name!, roles);
    }

    /// <summary>Whether the actor holds one of the roles in a comma-separated <see cref="RoleSets"/> list.</summary>
    public bool HasAnyRole(string roleSet) => RoleIn(roleSet) is not null;

    /// <summary>The first of the actor's roles that the comma-separated <see cref="RoleSets"/> list grants, if any.</summary>
    public Role? RoleIn(string roleSet)
    {
        var granted = roleSet.Split(',').Select(Enum.Parse<Role>).ToHashSet();
        return Roles.Where(granted.Contains).Select(r => (Role?)r).FirstOrDefault();
    }
}
