using Ai4h.Audit.Domain.Identity;

namespace Ai4h.Audit.Api.Security;

/// <summary>
/// Who may do what, named once so that endpoints say <c>[Authorize(Roles = RoleSets.X)]</c>. Administrators manage
/// accounts; they do not get every right by default, because separation of duties matters to an inspector.
/// </summary>
public static class RoleSets
{
    public const string Administrators = nameof(Role.Administrator);

    public const string DatasetWriters = nameof(Role.DataSteward) + "," + nameof(Role.Administrator);

    /// <summary>Everyone who may read data set metadata. Model developers may not: test data stays sequestered.</summary>
    public const string DatasetReaders =
        nameof(Role.DataSteward) + "," + nameof(Role.Annotator) + "," + nameof(Role.Auditor) + "," +
        nameof(Role.AuditLead) + "," + nameof(Role.Regulator) + "," + nameof(Role.Administrator);

    public const string BenchmarkWriters = nameof(Role.DataSteward) + "," + nameof(Role.AuditLead);

    /// <summary>Everyone may read a benchmark's definition; model developers need it to build their models.</summary>
    public const string BenchmarkReaders = DatasetReaders + "," + nameof(Role.ModelDeveloper);

    /// <summary>Who may read sequestered test data (labels). The Runner reads it from the database, also recorded.</summary>
    public const string SequesteredReaders = nameof(Role.DataSteward) + "," + nameof(Role.Auditor) + "," + nameof(Role.AuditLead);

    /// <summary>Who may read test data without labels: the sequestered readers, and developers unless the rows are hidden.</summary>
    public const string CaseReaders = SequesteredReaders + "," + nameof(Role.ModelDeveloper);

    public const string UsageReaders = SequesteredReaders + "," + nameof(Role.Regulator) + "," + nameof(Role.Administrator);

    public const string CampaignOrganisers = nameof(Role.DataSteward);

    /// <summary>Who sees a campaign's labels and agreement in full (annotators see only their own work).</summary>
    public const string CampaignOverseers = nameof(Role.DataSteward) + "," + nameof(Role.Auditor) + "," + nameof(Role.AuditLead) + "," + nameof(Role.Regulator);

    /// <summary>Who may call campaign work endpoints; whether the case is theirs is decided by the campaign.</summary>
    public const string CampaignWorkers = nameof(Role.Annotator) + "," + nameof(Role.DataSteward) + "," + nameof(Role.Auditor) + "," + nameof(Role.AuditLead);

    public const string Submitters = nameof(Role.ModelDeveloper);

    /// <summary>Who assesses submissions and so may read every developer's.</summary>
    public const string SubmissionAssessors = nameof(Role.DataSteward) + "," + nameof(Role.Auditor) + "," + nameof(Role.AuditLead) + "," + nameof(Role.Regulator);

    /// <summary>Who may read submissions: developers (their own only), and the assessors.</summary>
    public const string SubmissionReaders = nameof(Role.ModelDeveloper) + "," + SubmissionAssessors;

    /// <summary>Who may ask for an evaluation: the submission's developer (their own only), and those who assess it.</summary>
    public const string EvaluationRequesters = nameof(Role.ModelDeveloper) + "," + nameof(Role.DataSteward) + "," + nameof(Role.AuditLead);

    /// <summary>Who may download an evaluation's per-case predictions (case ids of sequestered data).</summary>
    public const string PredictionReaders = SequesteredReaders + "," + nameof(Role.Regulator);

    /// <summary>Who may read the ledger's state, proofs and the Api's own check (hashes, never events' data).</summary>
    public const string LedgerReaders = SubmissionAssessors + "," + nameof(Role.Administrator);

    /// <summary>
    /// Who may export the whole record as a bundle. It carries every event's data (every submission, evaluation, audit
    /// answer and annotation label), so only those who may read all of those: not administrators, who are refused each
    /// of them directly (found by Reliability/AuthorizationMatrixTests).
    /// </summary>
    public const string BundleReaders = SubmissionAssessors;

    /// <summary>Who may ask for a checkpoint to be signed now rather than at the next interval.</summary>
    public const string CheckpointRequesters = nameof(Role.Regulator) + "," + nameof(Role.AuditLead) + "," + nameof(Role.Administrator);

    /// <summary>Who publishes checklist templates and opens audits.</summary>
    public const string TemplatePublishers = nameof(Role.AuditLead) + "," + nameof(Role.Administrator);

    public const string AuditLeads = nameof(Role.AuditLead);

    /// <summary>Who works on audits; whether this audit and item are theirs is decided by the audit.</summary>
    public const string AuditWorkers = nameof(Role.Auditor) + "," + nameof(Role.AuditLead);

    /// <summary>Who answers findings: the submission's developer (checked against the audit).</summary>
    public const string FindingResponders = nameof(Role.ModelDeveloper);

    public const string Regulators = nameof(Role.Regulator);
}
