namespace Ai4h.Audit.Dossiers.Pdf;

// The presentation model of an audit dossier: what a regulator reads, already worded and formatted.
// Deliberately free of domain types so the renderer can be tested (and changed) without a database.

/// <summary>Everything the dossier PDF shows, in reading order.</summary>
public sealed record DossierDocument(string Title, string Subtitle, string DossierSha256, DateTimeOffset AsOf, string Author,
    IReadOnlyList<CoverLine> Cover, IReadOnlyList<DossierSection> Sections, IReadOnlyList<SignatureLine> Signatures, IReadOnlyList<EventLine> Events);

public sealed record CoverLine(string Label, string Value);

public sealed record DossierSection(string Title, IReadOnlyList<DossierBlock> Blocks);

public abstract record DossierBlock;

public sealed record Paragraph(string Text) : DossierBlock;

public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : DossierBlock;

public sealed record RocChart(string Caption, IReadOnlyList<(double Fpr, double Tpr)> Points, double? Auc) : DossierBlock;

public sealed record CalibrationChart(string Caption, IReadOnlyList<(double MeanPredicted, double Observed, int Cases)> Bins) : DossierBlock;

/// <summary>One signature manifestation (21 CFR 11.50): who, when, what it means, what was signed.</summary>
public sealed record SignatureLine(string PrintedName, string Meaning, DateTimeOffset SignedAt, string What, bool Superseded);

public sealed record EventLine(long Sequence, string Stream, string Type, DateTimeOffset At, string Actor, string? Reason);
