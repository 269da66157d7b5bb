using System.Globalization;
using SkiaSharp;

namespace Ai4h.Audit.Dossiers.Pdf;

/// <summary>
/// ROC and calibration plots drawn as vector paths and text, never bitmaps: they stay sharp when a
/// reviewer zooms in and their labels remain searchable text.
/// </summary>
internal static class Charts
{
    const float Plot = 250f;          // side of the square plot area
    const float LeftGutter = 48f;     // tick labels and the rotated y-axis title
    const float BelowPlot = 34f;      // tick labels and the x-axis title
    static readonly SKColor Curve = Typography.Accent;

    public static void Roc(PageCursor page, RocChart chart)
    {
        var origin = Frame(page, chart.Caption, "False positive rate (1 − specificity)", "True positive rate (sensitivity)");
        var points = chart.Points.OrderBy(p => p.Fpr).ThenBy(p => p.Tpr).Select(p => Map(origin, p.Fpr, p.Tpr)).ToArray();
        page.Draw(canvas =>
        {
            if (points.Length == 0) return;
            using var path = new SKPath();
            path.MoveTo(points[0]);
            foreach (var p in points.Skip(1)) path.LineTo(p);
            using var paint = new SKPaint { Color = Curve, StrokeWidth = 1.6f, IsStroke = true, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
            canvas.DrawPath(path, paint);
        });
        if (chart.Auc is { } auc)
            page.Text("AUC = " + auc.ToString("0.000", CultureInfo.InvariantCulture), origin.X + Plot - 8f, origin.Y - 12f,
                page.Type.BodyBold, SKTextAlign.Right);
    }

    public static void Calibration(PageCursor page, CalibrationChart chart)
    {
        var origin = Frame(page, chart.Caption, "Mean predicted probability", "Observed frequency");
        var bins = chart.Bins.OrderBy(b => b.MeanPredicted).ToArray();
        var most = bins.Length == 0 ? 1 : Math.Max(1, bins.Max(b => b.Cases));
        page.Draw(canvas =>
        {
            if (bins.Length == 0) return;
            using var line = new SKPaint { Color = Curve, StrokeWidth = 1f, IsStroke = true, IsAntialias = true };
            using var dot = new SKPaint { Color = Curve, IsAntialias = true };
            using var path = new SKPath();
            path.MoveTo(Map(origin, bins[0].MeanPredicted, bins[0].Observed));
            foreach (var b in bins.Skip(1)) path.LineTo(Map(origin, b.MeanPredicted, b.Observed));
            canvas.DrawPath(path, line);
            // Marker area grows with the number of cases so sparse bins do not look as certain as full ones.
            foreach (var b in bins)
                canvas.DrawCircle(Map(origin, b.MeanPredicted, b.Observed), 2f + 4f * MathF.Sqrt((float)b.Cases / most), dot);
        });
        if (bins.Length > 0)
            page.Text($"{bins.Length} bins, {bins.Sum(b => b.Cases)} cases; marker area ∝ cases per bin",
                origin.X + Plot - 8f, origin.Y - 12f, page.Type.Small, SKTextAlign.Right);
    }

    // Caption, grid, ticks, axis titles and the diagonal; returns the plot's bottom-left corner.
    static SKPoint Frame(PageCursor page, string caption, string xTitle, string yTitle)
    {
        var type = page.Type;
        var captionLines = PageCursor.Wrap(caption, type.BodyBold.Font, PageCursor.ContentWidth);
        page.EnsureSpace(captionLines.Count * type.BodyBold.LineHeight + 8f + Plot + BelowPlot + 12f);
        page.Paragraph(caption, type.BodyBold, spaceAfter: 8f);

        var left = PageCursor.Left + LeftGutter;
        var top = page.Y;
        var origin = new SKPoint(left, top + Plot);
        page.Draw(canvas =>
        {
            using var grid = new SKPaint { Color = Typography.Shade, StrokeWidth = 0.5f, IsStroke = true };
            using var axis = new SKPaint { Color = Typography.Ink, StrokeWidth = 0.8f, IsStroke = true, IsAntialias = true };
            using var diagonal = new SKPaint
            {
                Color = Typography.Muted, StrokeWidth = 0.8f, IsStroke = true, IsAntialias = true,
                PathEffect = SKPathEffect.CreateDash([4f, 3f], 0f),
            };
            for (var i = 0; i <= 10; i += 2)
            {
                var v = i / 10.0;
                var x = Map(origin, v, 0).X;
                var y = Map(origin, 0, v).Y;
                canvas.DrawLine(x, top, x, origin.Y, grid);
                canvas.DrawLine(left, y, left + Plot, y, grid);
                canvas.DrawLine(x, origin.Y, x, origin.Y + 4f, axis);
                canvas.DrawLine(left - 4f, y, left, y, axis);
                var label = v.ToString("0.0", CultureInfo.InvariantCulture);
                PageCursor.DrawText(canvas, label, x, origin.Y + 13f, type.Small, SKTextAlign.Center);
                PageCursor.DrawText(canvas, label, left - 6f, y + 2.5f, type.Small, SKTextAlign.Right);
            }
            canvas.DrawRect(left, top, Plot, Plot, axis);
            canvas.DrawLine(origin, new SKPoint(left + Plot, top), diagonal);
            PageCursor.DrawText(canvas, xTitle, left + Plot / 2f, origin.Y + 27f, type.Cell, SKTextAlign.Center);
            canvas.Save();
            canvas.RotateDegrees(-90f, left - 30f, top + Plot / 2f);
            PageCursor.DrawText(canvas, yTitle, left - 30f, top + Plot / 2f, type.Cell, SKTextAlign.Center);
            canvas.Restore();
        });
        page.Y = origin.Y + BelowPlot + 12f;
        return origin;
    }

    static SKPoint Map(SKPoint origin, double x, double y) =>
        new(origin.X + (float)Math.Clamp(x, 0, 1) * Plot, origin.Y - (float)Math.Clamp(y, 0, 1) * Plot);
}
