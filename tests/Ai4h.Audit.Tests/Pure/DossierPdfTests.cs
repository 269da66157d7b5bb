using System.Globalization;
using Ai4h.Audit.Dossiers.Pdf;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>The dossier PDF read back with PdfPig: what a regulator would see on which page.</summary>
public sealed class DossierPdfTests
{
    static readonly DossierDocument Sample = SampleDossier.Build();
    static readonly byte[] Bytes = DossierPdf.Render(Sample);

    [Fact]
    public void every_page_says_page_n_of_N_and_carries_the_dossier_hash()
    {
        using var pdf = PdfDocument.Open(Bytes);
        var total = pdf.NumberOfPages;
        total.ShouldBeGreaterThan(8);
        foreach (var page in pdf.GetPages())
        {
            var lines = Lines(page);
            lines.ShouldContain(l => l.EndsWith($"page {page.Number} of {total}"), $"page {page.Number}");
            lines.ShouldContain(l => l.Contains("Dossier SHA-256 " + Sample.DossierSha256), $"page {page.Number}");
        }
    }

    [Fact]
    public void the_cover_shows_title_subtitle_cover_lines_hash_and_as_of()
    {
        using var pdf = PdfDocument.Open(Bytes);
        var cover = Flat(pdf.GetPage(1));
        foreach (var text in new[] { Sample.Title, Sample.Subtitle, "2026-11-20 14:30:00 UTC", Sample.DossierSha256 }
                     .Concat(Sample.Cover.SelectMany(c => new[] { c.Label, c.Value })))
            cover.ShouldContain(Squash(text));
    }

    [Fact]
    public void the_contents_page_lists_every_chapter_with_the_page_it_starts_on()
    {
        using var pdf = PdfDocument.Open(Bytes);
        var contents = Lines(pdf.GetPage(2));
        contents.ShouldContain("Contents");
        var chapters = Sample.Sections.Select(s => s.Title).Append("Signatures").Append("Event appendix").ToList();
        for (var i = 0; i < chapters.Count; i++)
        {
            var heading = $"{i + 1}. {chapters[i]}";
            // The chapter starts on the first page after the contents whose first body line is its heading.
            var start = pdf.GetPages().Skip(2).First(p => Lines(p).Skip(1).First() == heading).Number;
            contents.ShouldContain($"{heading} {start}");
        }
    }

    [Fact]
    public void every_table_cell_metric_and_chart_label_is_on_its_sections_pages()
    {
        using var pdf = PdfDocument.Open(Bytes);
        for (var s = 0; s < Sample.Sections.Count; s++)
        {
            var section = Sample.Sections[s];
            var text = string.Concat(SectionPages(pdf, s + 1, s + 2).Select(Flat));
            foreach (var table in section.Blocks.OfType<Table>())
                foreach (var cell in table.Header.Concat(table.Rows.SelectMany(r => r)))
                    text.ShouldContain(Squash(cell));
            foreach (var roc in section.Blocks.OfType<RocChart>())
            {
                text.ShouldContain(Squash(roc.Caption));
                text.ShouldContain(Squash("AUC = " + roc.Auc!.Value.ToString("0.000", CultureInfo.InvariantCulture)));
                text.ShouldContain(Squash("True positive rate (sensitivity)"));
            }
            foreach (var cal in section.Blocks.OfType<CalibrationChart>())
                text.ShouldContain(Squash(cal.Caption));
        }
    }

    [Fact]
    public void charts_are_vector_graphics_not_bitmaps()
    {
        using var pdf = PdfDocument.Open(Bytes);
        pdf.GetPages().SelectMany(p => p.GetImages()).ShouldBeEmpty();
    }

    [Fact]
    public void every_signature_manifestation_is_listed_with_name_utc_time_meaning_and_superseded()
    {
        using var pdf = PdfDocument.Open(Bytes);
        var n = Sample.Sections.Count + 1;
        var text = string.Concat(SectionPages(pdf, n, n + 1).Select(Flat));
        foreach (var s in Sample.Signatures)
        {
            var row = s.PrintedName + s.SignedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
                      + s.Meaning + s.What + (s.Superseded ? "superseded" : "in force");
            text.ShouldContain(Squash(row));
        }
    }

    [Fact]
    public void a_long_table_spans_pages_and_repeats_its_header_on_each()
    {
        using var pdf = PdfDocument.Open(Bytes);
        var n = Sample.Sections.Count + 2;
        var pages = SectionPages(pdf, n, null).ToList();
        pages.Count.ShouldBeGreaterThan(3);
        foreach (var page in pages)
            Flat(page).ShouldContain("SeqStreamTypeTimeActorReason");
        var text = string.Concat(pages.Select(Flat));
        foreach (var e in Sample.Events)
            text.ShouldContain(Squash($"{e.Sequence}{e.Stream}{e.Type}"));
        Flat(pages[^1]).ShouldContain(Squash(Sample.Events[^1].Reason!));
    }

    [Fact]
    public void greek_mathematical_and_accented_letters_survive()
    {
        using var pdf = PdfDocument.Open(Bytes);
        var all = string.Concat(pdf.GetPages().Select(p => p.Text));
        all.ShouldContain("Cohen’s κ ≥ 0.80");
        all.ShouldContain("Amélie Laurent");
    }

    [Fact]
    public void metadata_comes_from_the_document_not_the_clock()
    {
        using var pdf = PdfDocument.Open(Bytes);
        pdf.Information.Title.ShouldBe(Sample.Title);
        pdf.Information.Author.ShouldBe(Sample.Author);
        pdf.Information.Subject.ShouldBe(Sample.Subtitle);
        pdf.Information.Creator.ShouldBe("Ai4h.Audit");
        pdf.Information.Producer.ShouldNotBeNullOrEmpty();
        pdf.Information.CreationDate.ShouldStartWith("D:20261120143000");
        pdf.Information.ModifiedDate.ShouldStartWith("D:20261120143000");
    }

    [Fact]
    public void rendering_twice_gives_identical_bytes()
    {
        // A pause longer than a second would expose any wall-clock timestamp that slipped in.
        Thread.Sleep(1100);
        DossierPdf.Render(SampleDossier.Build()).ShouldBe(Bytes);
    }

    // Whitespace-free text: wrapped cells and kerning-split words compare equal to their source.
    static string Flat(Page page) => Squash(page.Text);
    static string Squash(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    // Text lines top to bottom, words joined by single spaces.
    static List<string> Lines(Page page) =>
        page.GetWords()
            .GroupBy(w => Math.Round(w.BoundingBox.Bottom))
            .OrderByDescending(g => g.Key)
            .Select(g => string.Join(" ", g.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text)))
            .ToList();

    // Pages of chapter `number` up to (not including) chapter `next`, found through the contents page.
    static IEnumerable<Page> SectionPages(PdfDocument pdf, int number, int? next)
    {
        int Start(int chapter) => int.Parse(Lines(pdf.GetPage(2)).First(l => l.StartsWith($"{chapter}. ")).Split(' ')[^1], CultureInfo.InvariantCulture);
        var first = Start(number);
        var end = next is { } n ? Start(n) : pdf.NumberOfPages + 1;
        return Enumerable.Range(first, end - first).Select(pdf.GetPage);
    }
}

/// <summary>A realistic dossier: metrics with CIs, ROC points, calibration bins, 40 signatures, 300 events.</summary>
internal static class SampleDossier
{
    public static DossierDocument Build()
    {
        var asOf = new DateTimeOffset(2026, 11, 20, 15, 30, 0, TimeSpan.FromHours(1));
        const string hash = "9f2c4e81b7d03a56c1e9f04b2d7a8c36e5b190f4a2d6c83e7b15f09a4c2e6d71";

        var metrics = new Table(["Metric", "Estimate", "95% CI", "Method", "Note"],
        [
            ["AUROC", "0.912", "0.887–0.936", "DeLong", "Primary endpoint; pre-specified threshold ≥ 0.85 met"],
            ["Sensitivity", "0.884", "0.842–0.918", "Wilson", "At the operating point fixed before unblinding (score ≥ 0.42)"],
            ["Specificity", "0.861", "0.829–0.889", "Wilson", ""],
            ["PPV", "0.793", "0.748–0.832", "Wilson", "Prevalence 37.3% in the hold-out set"],
            ["NPV", "0.925", "0.897–0.946", "Wilson", ""],
            ["Brier score", "0.094", "0.081–0.108", "Bootstrap (2,000)", "Lower is better"],
            ["Cohen’s κ (readers)", "0.83", "0.78–0.88", "Fleiss", "Reference standard agreement; Cohen’s κ ≥ 0.80 required"],
        ]);
        var roc = new RocChart("Figure 1. ROC curve on the hold-out set (n = 569)",
            [(0, 0), (0.02, 0.31), (0.05, 0.55), (0.08, 0.68), (0.12, 0.79), (0.139, 0.884), (0.2, 0.91), (0.3, 0.945), (0.45, 0.97), (0.7, 0.99), (1, 1)], 0.912);
        var calibration = new CalibrationChart("Figure 2. Calibration in ten bins of predicted probability",
            Enumerable.Range(0, 10).Select(i => (i / 10.0 + 0.05, Math.Clamp(i / 10.0 + 0.05 + (i % 3 - 1) * 0.03, 0, 1), 20 + (i * 37 % 90))).ToList());
        var readers = new Table(["Reader", "Role", "Cases read", "Agreement with reference"],
            Enumerable.Range(1, 12).Select(i => (IReadOnlyList<string>)[$"Reader {i:00}", i % 3 == 0 ? "Senior radiologist" : "Consultant pathologist", (40 + i * 7).ToString(CultureInfo.InvariantCulture), $"0.{78 + i}"]).ToList());

        string[] names = ["Amélie Laurent", "Jonas Bergström", "Priya Raghunathan", "Kwame Mensah", "Sofia Castellanos", "Hiroshi Tanaka", "Olga Kowalczyk", "Daniel O’Connor"];
        string[] meanings = ["Reviewed", "Approved", "Authored", "Verified"];
        var signatures = Enumerable.Range(0, 40).Select(i => new SignatureLine(
            names[i % names.Length], meanings[i % meanings.Length], asOf.AddDays(-40 + i).AddMinutes(i * 13),
            $"Checklist answer {i + 1} of audit A-2026-031 (revision {1 + i % 3})", Superseded: i % 7 == 3)).ToList();

        string[] types = ["ModelSubmitted", "DatasetRegistered", "EvaluationStarted", "EvaluationCompleted", "AnswerRecorded", "SignatureApplied", "FindingRaised"];
        var events = Enumerable.Range(1, 300).Select(i => new EventLine(1000 + i, $"audit-{i % 5}-a7c3", types[i % types.Length],
            asOf.AddHours(-300 + i), names[i % names.Length],
            i % 4 == 0 ? $"Correction after review comment {i}: wording of the answer clarified" : null)).ToList();

        return new DossierDocument("Audit dossier: ChestScan-CAD 2.1", "Breast cancer cytology classifier, submission S-2026-0147",
            hash, asOf, "Ai4h.Audit on behalf of the Notified Body 0123",
            [
                new("Submission", "S-2026-0147 (ChestScan-CAD 2.1, logistic regression on 30 WDBC features)"),
                new("Manufacturer", "Médica Analytics GmbH, Berlin"),
                new("Benchmark", "WDBC hold-out, 569 cases, prevalence 37.3%"),
                new("Audit", "A-2026-031 against checklist TRIPOD-AI 1.0, status complete"),
            ],
            [
                new("Summary", [new Paragraph("The submitted model was evaluated on the locked hold-out set. Inter-reader agreement of the reference standard met the pre-specified criterion (Cohen’s κ ≥ 0.80). All figures below are reproducible from the ledger events listed in the appendix."), metrics]),
                new("Discrimination and calibration", [new Paragraph("Discrimination is shown as an ROC curve with the DeLong AUROC; calibration as observed against predicted frequencies."), roc, calibration]),
                new("Reference standard", [new Paragraph("Twelve readers annotated the hold-out cases; disagreements were adjudicated by a senior reader."), readers]),
            ],
            signatures, events);
    }
}
