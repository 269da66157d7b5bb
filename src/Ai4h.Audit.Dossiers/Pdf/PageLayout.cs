using System.Globalization;
using SkiaSharp;

namespace Ai4h.Audit.Dossiers.Pdf;

/// <summary>A font at a size with its colour and line height.</summary>
internal sealed record TextStyle(SKFont Font, SKColor Color, float LineHeight)
{
    // Distance from the top of a line box to its baseline.
    public float BaselineOffset => (LineHeight + Font.Size * 0.72f) / 2f;
}

/// <summary>Fonts and styles for one render. SKFont is mutable and not thread-safe, so each render owns its own.</summary>
internal sealed class Typography : IDisposable
{
    // Typefaces are immutable; load the embedded files once per process.
    static readonly SKTypeface RegularFace = Load("DejaVuSans.ttf");
    static readonly SKTypeface BoldFace = Load("DejaVuSans-Bold.ttf");

    public static readonly SKColor Ink = new(0x1F, 0x23, 0x28);
    public static readonly SKColor Muted = new(0x5F, 0x66, 0x6D);
    public static readonly SKColor Rule = new(0xC8, 0xCD, 0xD2);
    public static readonly SKColor Shade = new(0xEE, 0xF1, 0xF4);
    public static readonly SKColor Accent = new(0x1F, 0x5F, 0xA8);

    readonly List<SKFont> fonts = [];

    public Typography()
    {
        Title = Style(BoldFace, 24f, Ink, 30f);
        Subtitle = Style(RegularFace, 14f, Muted, 19f);
        Heading = Style(BoldFace, 15f, Ink, 22f);
        Body = Style(RegularFace, 9.5f, Ink, 13.5f);
        BodyBold = Style(BoldFace, 9.5f, Ink, 13.5f);
        Cell = Style(RegularFace, 8f, Ink, 10.5f);
        CellBold = Style(BoldFace, 8f, Ink, 10.5f);
        Small = Style(RegularFace, 7f, Muted, 9f);
    }

    public TextStyle Title { get; }
    public TextStyle Subtitle { get; }
    public TextStyle Heading { get; }
    public TextStyle Body { get; }
    public TextStyle BodyBold { get; }
    public TextStyle Cell { get; }
    public TextStyle CellBold { get; }
    public TextStyle Small { get; }

    TextStyle Style(SKTypeface face, float size, SKColor colour, float lineHeight)
    {
        // Unhinted linear metrics: layout must not depend on a rasteriser's hinting, only on the font file.
        var font = new SKFont(face, size) { LinearMetrics = true, Hinting = SKFontHinting.None, Subpixel = true };
        fonts.Add(font);
        return new TextStyle(font, colour, lineHeight);
    }

    static SKTypeface Load(string file)
    {
        using var stream = typeof(Typography).Assembly.GetManifestResourceStream("Ai4h.Audit.Dossiers.Fonts." + file)
            ?? throw new InvalidOperationException($"Embedded font {file} is missing from the assembly.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"Embedded font {file} could not be read.");
    }

    public void Dispose()
    {
        foreach (var font in fonts) font.Dispose();
    }
}

/// <summary>
/// Lays content out top to bottom over A4 pages. Drawing is recorded, not performed, so the whole
/// document can be laid out (and page numbers known) before anything reaches the PDF.
/// </summary>
internal sealed class PageCursor(Typography type)
{
    public const float PageWidth = 595.28f, PageHeight = 841.89f; // A4 in points
    public const float Left = 56f, Right = PageWidth - 56f, Top = 64f, Bottom = PageHeight - 64f;
    public const float ContentWidth = Right - Left;
    const float CellPadding = 3.5f;

    readonly List<List<Action<SKCanvas>>> pages = [];

    public Typography Type { get; } = type;
    public float Y { get; set; }
    public int PageNumber => pages.Count;
    public IReadOnlyList<IReadOnlyList<Action<SKCanvas>>> Pages => pages;
    bool AtTop => Y <= Top + 0.01f;

    public void NewPage()
    {
        pages.Add([]);
        Y = Top;
    }

    public bool Fits(float height) => Y + height <= Bottom;

    // A block taller than a page goes on a fresh page and overflows rather than producing blank pages forever.
    public void EnsureSpace(float height)
    {
        if (!Fits(height) && !AtTop) NewPage();
    }

    public void Draw(Action<SKCanvas> op) => pages[^1].Add(op);

    public void Text(string text, float x, float baseline, TextStyle style, SKTextAlign align = SKTextAlign.Left) =>
        Draw(canvas => DrawText(canvas, text, x, baseline, style, align));

    public static void DrawText(SKCanvas canvas, string text, float x, float baseline, TextStyle style, SKTextAlign align = SKTextAlign.Left)
    {
        using var paint = new SKPaint { Color = style.Color, IsAntialias = true };
        canvas.DrawText(text, x, baseline, align, style.Font, paint);
    }

    /// <summary>Wrapped text across the content width, breaking pages between lines.</summary>
    public void Paragraph(string text, TextStyle style, float spaceAfter = 6f, float indent = 0f)
    {
        foreach (var line in Wrap(text, style.Font, ContentWidth - indent))
        {
            EnsureSpace(style.LineHeight);
            Text(line, Left + indent, Y + style.BaselineOffset, style);
            Y += style.LineHeight;
        }
        Y += spaceAfter;
    }

    public void Heading(string text)
    {
        var style = Type.Heading;
        Paragraph(text, style, spaceAfter: 0f);
        var y = Y + 3f;
        Draw(canvas => Line(canvas, Left, y, Right, y, Typography.Accent, 1f));
        Y += 12f;
    }

    public static void Line(SKCanvas canvas, float x0, float y0, float x1, float y1, SKColor colour, float width)
    {
        using var paint = new SKPaint { Color = colour, StrokeWidth = width, IsStroke = true, IsAntialias = true };
        canvas.DrawLine(x0, y0, x1, y1, paint);
    }

    /// <summary>
    /// A table with a shaded header row, wrapped cells and the header repeated on every page it continues on.
    /// A single row taller than a page is not split; it overflows the bottom margin.
    /// </summary>
    public void Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var columns = Math.Max(header.Count, rows.Count == 0 ? 0 : rows.Max(r => r.Count));
        if (columns == 0) return;
        string Cell(IReadOnlyList<string> row, int i) => i < row.Count ? row[i] ?? "" : "";

        var all = rows.Prepend(header).ToList();
        var widths = ColumnWidths(all.Select(r => Enumerable.Range(0, columns).Select(i => Cell(r, i)).ToArray()).ToList(), columns);

        List<string>[] WrapRow(IReadOnlyList<string> row, TextStyle style) =>
            Enumerable.Range(0, columns).Select(i => Wrap(Cell(row, i), style.Font, widths[i] - 2 * CellPadding)).ToArray();
        float Height(List<string>[] cells, TextStyle style) => cells.Max(c => c.Count) * style.LineHeight + 2 * CellPadding;

        var headerCells = WrapRow(header, Type.CellBold);
        var headerHeight = Height(headerCells, Type.CellBold);

        void DrawRow(List<string>[] cells, TextStyle style, float height, SKColor? fill)
        {
            var top = Y;
            if (fill is { } colour)
                Draw(canvas =>
                {
                    using var paint = new SKPaint { Color = colour, Style = SKPaintStyle.Fill };
                    canvas.DrawRect(Left, top, ContentWidth, height, paint);
                });
            var x = Left;
            for (var i = 0; i < columns; i++)
            {
                for (var l = 0; l < cells[i].Count; l++)
                    Text(cells[i][l], x + CellPadding, top + CellPadding + l * style.LineHeight + style.BaselineOffset, style);
                x += widths[i];
            }
            var bottom = top + height;
            Draw(canvas => Line(canvas, Left, bottom, Right, bottom, Typography.Rule, 0.5f));
            Y = bottom;
        }

        void DrawHeader() => DrawRow(headerCells, Type.CellBold, headerHeight, Typography.Shade);

        var first = rows.Count > 0 ? Height(WrapRow(rows[0], Type.Cell), Type.Cell) : 0f;
        EnsureSpace(headerHeight + first);
        DrawHeader();
        for (var r = 0; r < rows.Count; r++)
        {
            var cells = WrapRow(rows[r], Type.Cell);
            var height = Height(cells, Type.Cell);
            if (!Fits(height))
            {
                NewPage();
                DrawHeader();
            }
            DrawRow(cells, Type.Cell, height, r % 2 == 1 ? new SKColor(0xF8, 0xF9, 0xFA) : null);
        }
        Y += 10f;
    }

    // Max-min fair widths: a column whose text fits in its fair share keeps it on one line (numbers, dates,
    // names); the columns that cannot fit (prose) share what is left in proportion to how much text they hold.
    float[] ColumnWidths(List<string[]> rows, int columns)
    {
        var natural = new float[columns];
        var longestWord = new float[columns];
        for (var i = 0; i < columns; i++)
        {
            for (var r = 0; r < rows.Count; r++)
            {
                var font = (r == 0 ? Type.CellBold : Type.Cell).Font;
                natural[i] = Math.Max(natural[i], font.MeasureText(rows[r][i]) + 2 * CellPadding + 1f);
                foreach (var word in rows[r][i].Split(' '))
                    longestWord[i] = Math.Max(longestWord[i], font.MeasureText(word) + 2 * CellPadding + 1f);
            }
            longestWord[i] = Math.Min(longestWord[i], ContentWidth / 3f);
        }

        var total = natural.Sum();
        if (total <= ContentWidth)
            return natural.Select(w => w + (ContentWidth - total) * w / total).ToArray();

        var widths = new float[columns];
        var open = Enumerable.Range(0, columns).ToList();
        var remaining = ContentWidth;
        while (open.Count > 0)
        {
            var fair = remaining / open.Count;
            var fitting = open.Where(i => natural[i] <= fair).ToList();
            if (fitting.Count == 0) break;
            foreach (var i in fitting) { widths[i] = natural[i]; remaining -= natural[i]; open.Remove(i); }
        }
        // Open columns keep their longest word whole where possible and share the rest by how much more they hold.
        var floor = open.Sum(i => longestWord[i]);
        if (floor >= remaining)
        {
            foreach (var i in open) widths[i] = remaining * longestWord[i] / floor;
            return widths;
        }
        var slack = open.Sum(i => natural[i] - longestWord[i]);
        foreach (var i in open) widths[i] = longestWord[i] + (remaining - floor) * (natural[i] - longestWord[i]) / slack;
        return widths;
    }

    /// <summary>Greedy word wrap; a word wider than the line is broken between characters.</summary>
    public static List<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (font.MeasureText(candidate) <= width) { line = candidate; continue; }
                if (line.Length > 0) lines.Add(line);
                line = word;
                while (font.MeasureText(line) > width && line.Length > 1)
                {
                    var cut = FittingPrefix(line, font, width);
                    lines.Add(line[..cut]);
                    line = line[cut..];
                }
            }
            lines.Add(line);
        }
        return lines;
    }

    static int FittingPrefix(string word, SKFont font, float width)
    {
        var elements = StringInfo.ParseCombiningCharacters(word); // never split a surrogate pair or an accent
        var cut = elements.Length > 1 ? elements[1] : word.Length;
        for (var e = 1; e < elements.Length; e++)
        {
            if (font.MeasureText(word[..elements[e]]) > width) break;
            cut = elements[e];
        }
        return cut;
    }

    /// <summary>Running header and footer, drawn once the page count is known.</summary>
    public static void DrawFrame(SKCanvas canvas, Typography type, string title, string hash, int page, int total)
    {
        if (page > 1)
        {
            DrawText(canvas, title, Left, Top - 24f, type.Small);
            Line(canvas, Left, Top - 19f, Right, Top - 19f, Typography.Rule, 0.5f);
        }
        var rule = Bottom + 20f;
        Line(canvas, Left, rule, Right, rule, Typography.Rule, 0.5f);
        DrawText(canvas, "Dossier SHA-256 " + hash, Left, rule + 11f, type.Small);
        DrawText(canvas, $"page {page} of {total}", Right, rule + 11f, type.Small, SKTextAlign.Right);
    }
}
