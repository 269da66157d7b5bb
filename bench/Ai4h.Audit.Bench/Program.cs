using System.Runtime.InteropServices;
using Ai4h.Audit.Bench;
using Ai4h.Audit.Inference;

// Usage: Ai4h.Audit.Bench [--quick] [--only inference,delong,bootstrap,proofs,sequencer,pdf]
// --quick runs every figure at a tenth of its size (a smoke test; the absolute goals then do not apply).
// The sequencer figure needs PostgreSQL: AI4H_DB names a migrated database (scripts/bench.sh provisions ai4h_bench).
string[] all = ["inference", "delong", "bootstrap", "proofs", "sequencer", "pdf"];
var quick = args.Contains("--quick");
var onlyArgument = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
var only = onlyArgument?.Split(',') ?? all;
var unknown = only.Except(all).ToList();
if (unknown.Count > 0 || args.Except(["--quick", "--only", onlyArgument ?? ""]).Any())
{
    Console.Error.WriteLine($"usage: Ai4h.Audit.Bench [--quick] [--only {string.Join(",", all)}]");
    return 2;
}

Console.WriteLine("Ai4h.Audit benchmark" + (quick ? " (--quick: reduced sizes, absolute goals not applicable)" : ""));
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {CpuModel()}");
Console.WriteLine($"OS: {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}; ONNX Runtime {ModelInspector.RuntimeVersion}");
Console.WriteLine($"load average at start: {LoadAverage()}");
Console.WriteLine();

var figures = new List<Figure>();
if (only.Contains("inference"))
{
    Console.WriteLine("inference: BatchScorer vs bare ONNX Runtime loop …");
    figures.Add(Inference.Run(rows: quick ? 100_000 : 1_000_000, repetitions: 15));
}
if (only.Contains("delong"))
{
    Console.WriteLine("AUROC + DeLong interval …");
    figures.Add(Metrics.DeLongInterval(quick ? Metrics.DeLongGoalCases / 10 : Metrics.DeLongGoalCases, repetitions: 7));
}
if (only.Contains("bootstrap"))
{
    Console.WriteLine("percentile bootstrap of AUROC …");
    figures.Add(quick
        ? Metrics.BootstrapAuroc(Metrics.BootstrapGoalCases / 10, Metrics.BootstrapGoalReplicates / 10, repetitions: 3)
        : Metrics.BootstrapAuroc(Metrics.BootstrapGoalCases, Metrics.BootstrapGoalReplicates, repetitions: 3));
}
if (only.Contains("proofs"))
{
    Console.WriteLine("ledger proofs …");
    figures.Add(LedgerFigures.Proofs(quick ? LedgerFigures.GoalLeaves / 10 : LedgerFigures.GoalLeaves));
}
if (only.Contains("pdf"))
{
    Console.WriteLine("dossier PDF …");
    figures.Add(DossierFigures.PdfPages(renders: quick ? 3 : 9));
}
if (only.Contains("sequencer"))
{
    var database = Environment.GetEnvironmentVariable(Ai4h.Audit.Domain.Record.DatabaseConnections.Variable);
    if (database is null) Console.WriteLine("ledger sequencer: skipped (set AI4H_DB to a migrated database; scripts/bench.sh does)");
    else
    {
        Console.WriteLine("ledger sequencer vs event appends …");
        figures.Add(await LedgerFigures.SequencerVsAppend(database, quick ? 2_000 : 20_000));
    }
}

Console.WriteLine();
Console.WriteLine($"load average at end: {LoadAverage()}");
Console.WriteLine();
PrintTable(figures);
Console.WriteLine();
Console.WriteLine("ratio: median of BatchScorer ÷ bare rows/s over back-to-back pairs for inference; median time ÷ goal for the metrics (below 1 passes);");
Console.WriteLine("per-proof cost at 1,000,000 ÷ at 1,000 leaves for proofs (O(log n) gives about 2); sequencer leaves/s ÷ event appends/s (at least 1 keeps up); PDF pages/s ÷ goal (at least 1 passes).");
return 0;

static void PrintTable(List<Figure> figures)
{
    string[] header = ["figure", "goal", "measured", "ratio", "result"];
    var rows = figures.Select(f => new[] { f.Name, f.Goal, f.Measured, f.Ratio, f.Result }).Prepend(header).ToList();
    var widths = Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
    foreach (var (row, i) in rows.Select((r, i) => (r, i)))
    {
        Console.WriteLine("| " + string.Join(" | ", row.Select((cell, c) => cell.PadRight(widths[c]))) + " |");
        if (i == 0) Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
    }
}

// The figures depend on the processor and on what else runs on the machine, so the run records both.
static string CpuModel() =>
    File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString()
        : RuntimeInformation.ProcessArchitecture.ToString();

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + " (1, 5, 15 min)" : "unknown";
