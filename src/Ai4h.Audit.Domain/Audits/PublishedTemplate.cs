namespace Ai4h.Audit.Domain.Audits;

/// <summary>A published checklist template version as its stream reads (inline; key and version are unique).</summary>
public sealed record PublishedTemplate(Guid Id, string Key, int TemplateVersion, string ContentSha256, ChecklistTemplate Template)
{
    public long Version { get; set; }

    public static PublishedTemplate Create(ChecklistTemplatePublished e) => new(e.TemplateId, e.Key, e.Version, e.ContentSha256, e.Template);

    /// <summary>"key/version", unique across the record (two publications of one version cannot both succeed).</summary>
    public string KeyVersion => $"{Key}/{TemplateVersion}";
}
