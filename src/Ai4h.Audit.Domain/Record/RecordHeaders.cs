namespace Ai4h.Audit.Domain.Record;

/// <summary>Names of the Marten event headers this system writes beside every event.</summary>
public static class RecordHeaders
{
    /// <summary>The reason for the change, when the user gave one (ALCOA+ "why").</summary>
    public const string Reason = "reason";

    /// <summary>The authenticated user's id (the user name column holds the login name).</summary>
    public const string ActorId = "actor-id";

    /// <summary>The roles the actor held when the event was recorded.</summary>
    public const string ActorRoles = "actor-roles";
}
