using System.Globalization;
using SkiaSharp;

namespace Ai4h.Audit.Dossiers.Pdf;

/// <summary>Renders a <see cref="DossierDocument"/> to an A4 PDF; the same document always gives the same bytes.</summary>
public static class DossierPdf
{
    // No-break spaces keep a timestamp on one line in narrow table columns.
    const string UtcFormat = "yyyy-MM-dd\u00A0HH:mm:ss\u00A0'UTC'";

    public static byte[] Render(DossierDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var type = new Typography();

        // The contents page needs page numbers that are only known after layout. Its own length depends
        // only on the chapter titles, so a second pass with the first pass's numbers lands on the same pages.
        var draft = Layout(document, type, starts: null);
        var final = Layout(document, type, draft.Starts);
        if (!draft.Starts.SequenceEqual(final.Starts))
            throw new InvalidOperationException("Contents page numbers moved between layout passes.");

        using var stream = new MemoryStream();
        using (var pdf = SKDocument.CreatePdf(stream, Metadata(document)))
        {
            var pages = final.Cursor.Pages;
            for (var i = 0; i < pages.Count; i++)
            {
                var canvas = pdf.BeginPage(PageCursor.PageWidth, PageCursor.PageHeight);
                foreach (var op in pages[i]) op(canvas);
                PageCursor.DrawFrame(canvas, type, document.Title, document.DossierSha256, i + 1, pages.Count);
                pdf.EndPage();
            }
            pdf.Close();
        }
        return stream.ToArray();
    }

    // Dates come from AsOf, never the clock, so re-rendering a dossier reproduces it byte for byte.
    static SKDocumentPdfMetadata Metadata(DossierDocument document) => new()
    {
        Title = document.Title,
        Author = document.Author,
        Subject = document.Subtitle,
        Keywords = "Dossier SHA-256 " + document.DossierSha256,
        Creator = "Ai4h.Audit",
        Producer = "Ai4h.Audit.Dossiers (SkiaSharp PDF)",
        Creation = document.AsOf.UtcDateTime,
        Modified = document.AsOf.UtcDateTime,
    };

    sealed record Laid(PageCursor Cursor, int[] Starts);

    static string[] Chapters(DossierDocument d) =>
        [.. d.Sections.Select((s, i) => $"{i + 1}. {s.Title}"), $"{d.Sections.Count + 1}. Signatures", $"{d.Sections.Count + 2}. Event appendix"];

    static Laid Layout(DossierDocument d, Typography type, int[]? starts)
    {
        var page = new PageCursor(type);
        var chapters = Chapters(d);
        var found = new int[chapters.Length];

        Cover(page, d);
        Contents(page, chapters, starts);

        for (var i = 0; i < d.Sections.Count; i++)
        {
            found[i] = Chapter(page, chapters[i]);
            foreach (var block in d.Sections[i].Blocks)
                switch (block)
                {
                    case Paragraph p: page.Paragraph(p.Text, type.Body); break;
                    case Table t: page.Table(t.Header, t.Rows); break;
                    case RocChart roc: Charts.Roc(page, roc); break;
                    case CalibrationChart cal: Charts.Calibration(page, cal); break;
                    default: throw new NotSupportedException($"No layout for {block.GetType().Name}.");
                }
        }

        found[^2] = Chapter(page, chapters[^2]);
        page.Paragraph("Every signature manifestation recorded for this dossier, including those superseded by a later correction. Times are UTC.", type.Body);
        if (d.Signatures.Count == 0) page.Paragraph("No signatures recorded.", type.Body);
        else
            page.Table(["Printed name", "Signed at", "Meaning", "What was signed", "Status"],
                d.Signatures.Select(s => (IReadOnlyList<string>)[s.PrintedName, Utc(s.SignedAt), s.Meaning, s.What, s.Superseded ? "superseded" : "in force"]).ToList());

        found[^1] = Chapter(page, chapters[^1]);
        page.Paragraph("The events this dossier reflects, in ledger order. Times are UTC.", type.Body);
        if (d.Events.Count == 0) page.Paragraph("No events recorded.", type.Body);
        else
            page.Table(["Seq", "Stream", "Type", "Time", "Actor", "Reason"],
                d.Events.Select(e => (IReadOnlyList<string>)[e.Sequence.ToString(CultureInfo.InvariantCulture), e.Stream, e.Type, Utc(e.At), e.Actor, e.Reason ?? ""]).ToList());

        return new Laid(page, found);
    }

    static int Chapter(PageCursor page, string title)
    {
        page.NewPage();
        page.Heading(title);
        return page.PageNumber;
    }

    static void Cover(PageCursor page, DossierDocument d)
    {
        var type = page.Type;
        page.NewPage();
        page.Y = PageCursor.Top + 90f;
        page.Paragraph(d.Title, type.Title, spaceAfter: 4f);
        page.Paragraph(d.Subtitle, type.Subtitle, spaceAfter: 28f);

        IEnumerable<CoverLine> lines =
            [.. d.Cover, new("As of", Utc(d.AsOf)), new("Prepared by", d.Author), new("Dossier SHA-256", d.DossierSha256)];
        const float labelWidth = 110f; // leaves the 64-digit hash room for one line
        foreach (var line in lines)
        {
            var values = PageCursor.Wrap(line.Value, type.Body.Font, PageCursor.ContentWidth - labelWidth);
            page.EnsureSpace(values.Count * type.Body.LineHeight);
            page.Text(line.Label, PageCursor.Left, page.Y + type.Body.BaselineOffset, type.BodyBold with { Color = Typography.Muted });
            foreach (var value in values)
            {
                page.Text(value, PageCursor.Left + labelWidth, page.Y + type.Body.BaselineOffset, type.Body);
                page.Y += type.Body.LineHeight;
            }
            page.Y += 5f;
        }
    }

    static void Contents(PageCursor page, string[] chapters, int[]? starts)
    {
        var type = page.Type;
        page.NewPage();
        page.Heading("Contents");
        const float numberWidth = 40f;
        for (var i = 0; i < chapters.Length; i++)
        {
            var lines = PageCursor.Wrap(chapters[i], type.Body.Font, PageCursor.ContentWidth - numberWidth);
            page.EnsureSpace(lines.Count * type.Body.LineHeight);
            // The first pass has no numbers yet; they sit in a reserved column, so the lines wrap the same either way.
            var number = starts is null ? "0" : starts[i].ToString(CultureInfo.InvariantCulture);
            var numberBaseline = page.Y + type.Body.BaselineOffset;
            foreach (var line in lines)
            {
                page.Text(line, PageCursor.Left, page.Y + type.Body.BaselineOffset, type.Body);
                page.Y += type.Body.LineHeight;
            }
            // Written after the title so text extraction reads "title … page" in order.
            page.Text(number, PageCursor.Right, numberBaseline, type.Body, SKTextAlign.Right);
            page.Y += 4f;
        }
    }

    static string Utc(DateTimeOffset t) => t.ToUniversalTime().ToString(UtcFormat, CultureInfo.InvariantCulture);
}
