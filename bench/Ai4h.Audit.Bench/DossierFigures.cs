using System.Text;
using Ai4h.Audit.Dossiers.Pdf;

namespace Ai4h.Audit.Bench;

/// <summary>The dossier PDF figure: pages rendered per second for a realistic dossier (tables, two charts, 40 signatures, 300 events).</summary>
public static class DossierFigures
{
    public const double GoalPagesPerSecond = 65;

    public static Figure PdfPages(int renders)
    {
        var document = Sample();
        var pages = CountPages(DossierPdf.Render(document)); // also the warm-up
        var timings = Timings.Of(() => DossierPdf.Render(document), warmups: 1, repetitions: renders);
        var rate = pages / timings.Median;
        Console.WriteLine($"  {pages} pages per dossier; median {Timings.Ms(timings.Median)} per render");
        return new Figure($"Dossier PDF, {pages} pages", $"≥ {GoalPagesPerSecond:0} pages/s", $"{rate:N0} pages/s", $"{rate / GoalPagesPerSecond:F1} × goal",
            rate >= GoalPagesPerSecond);
    }

    /// <summary>Pages in a PDF, from its page objects (the renderer writes one "/Type /Page" per page).</summary>
    private static int CountPages(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var count = 0;
        for (var i = text.IndexOf("/Type /Page", StringComparison.Ordinal); i >= 0; i = text.IndexOf("/Type /Page", i + 1, StringComparison.Ordinal))
            if (i + 11 >= text.Length || text[i + 11] != 's') count++;
        return count;
    }

    private static DossierDocument Sample()
    {
        var asOf = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var metrics = new Table(["Metric", "Value", "Interval", "Method"],
            Enumerable.Range(0, 14).Select(i => (IReadOnlyList<string>)[$"metric_{i}", $"0.{900 + i}", $"[0.{850 + i}, 0.{950 + i}]", "bootstrap_percentile"]).ToList());
        var roc = new RocChart("ROC curve", Enumerable.Range(0, 200).Select(i => (i / 199.0, Math.Sqrt(i / 199.0))).ToList(), 0.95);
        var calibration = new CalibrationChart("Calibration", Enumerable.Range(0, 10).Select(i => (i / 10.0 + 0.05, i / 10.0 + 0.04, 20 + i)).ToList());
        var answers = new Table(["Item", "Answer", "Rationale"], Enumerable.Range(1, 39).Select(i => (IReadOnlyList<string>)[$"X{i}", "Met",
            $"Checked against the linked evaluation, data set version and submission; rationale {i} written out at a realistic length."]).ToList());
        var signatures = Enumerable.Range(0, 40).Select(i => new SignatureLine($"Auditor {i % 4}", "Reviewed", asOf.AddMinutes(i), $"item X{i}", i % 9 == 0)).ToList();
        var events = Enumerable.Range(1, 300).Select(i => new EventLine(i, "01a2c3d4", "item_answered", asOf.AddSeconds(i), "auditor", i % 5 == 0 ? "Correction" : null)).ToList();
        return new DossierDocument("Audit dossier: bench model 1.0", "Submission bench", new string('a', 64), asOf, "Ai4h.Audit bench",
            [new CoverLine("Submission", "bench"), new CoverLine("Decision", "Approved")],
            [new DossierSection("Evaluation", [metrics, roc, calibration]), new DossierSection("Checklist", [answers])], signatures, events);
    }
}
