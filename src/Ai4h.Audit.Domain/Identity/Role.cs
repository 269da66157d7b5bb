namespace Ai4h.Audit.Domain.Identity;

/// <summary>What a user may do on the platform. A user may hold several roles.</summary>
public enum Role
{
    ModelDeveloper,
    DataSteward,
    Annotator,
    Auditor,
    AuditLead,
    Regulator,
    Administrator,
}
