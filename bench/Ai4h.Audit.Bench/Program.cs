using System.Runtime.InteropServices;
using Ai4h.Audit.Bench;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Inference;

// Usage: Ai4h.Audit.Bench [--quick] [--only inference,delong,bootstrap,proofs,sequencer,pdf,write,bulk,dossier,dossier-scale]
// --quick runs every figure at a tenth of its size (a smoke test; the absolute goals then do not apply).
// The sequencer, write, bulk, dossier and dossier-scale figures need PostgreSQL: AI4H_DB names a migrated database
// (scripts/bench.sh provisions ai4h_bench); bulk and the dossier figures work in schemas of their own (bench_*).
string[] all = ["inference", "delong", "bootstrap", "proofs", "sequencer", "pdf", "write", "bulk", "dossier", "dossier-scale"];
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
var database = Environment.GetEnvironmentVariable(DatabaseConnections.Variable);
string[] needDatabase = ["sequencer", "write", "bulk", "dossier", "dossier-scale"];
if (database is null && only.Intersect(needDatabase).Any())
    Console.WriteLine($"{string.Join(", ", only.Intersect(needDatabase))}: skipped (set AI4H_DB to a migrated database; scripts/bench.sh does)");
else if (database is not null)
{
    var connections = DatabaseConnections.From(database, Environment.GetEnvironmentVariable(DatabaseConnections.OwnerUserVariable));
    if (only.Contains("sequencer"))
    {
        Console.WriteLine("ledger sequencer vs event appends …");
        figures.Add(await LedgerFigures.SequencerVsAppend(database, quick ? 2_000 : 20_000));
    }
    if (only.Contains("write"))
    {
        Console.WriteLine($"event append through the HTTP API vs raw INSERT ({ApiWriteFigures.Clients} clients) …");
        figures.Add(await ApiWriteFigures.ApiVsInsert(connections, quick ? ApiWriteFigures.GoalRequests / 10 : ApiWriteFigures.GoalRequests, rounds: 3));
    }
    if (only.Contains("bulk"))
    {
        Console.WriteLine("bulk append in one transaction vs COPY …");
        figures.AddRange(await BulkAppendFigures.MartenVsCopy(connections, quick ? BulkAppendFigures.GoalEvents / 10 : BulkAppendFigures.GoalEvents, rounds: 3));
    }
    if (only.Contains("dossier") || only.Contains("dossier-scale"))
    {
        var seeded = await DossierReadFigures.SeedAsync(connections);
        using var store = seeded.Store;
        if (only.Contains("dossier"))
        {
            Console.WriteLine("dossier rebuild vs raw read …");
            figures.AddRange(await DossierReadFigures.RebuildVsRawRead(connections, seeded, rounds: quick ? 30 : 200));
        }
        if (only.Contains("dossier-scale"))
        {
            Console.WriteLine("dossier read latency as unrelated events fill the store …");
            figures.Add(await DossierReadFigures.LatencyAsStoreGrows(connections, seeded,
                quick ? DossierReadFigures.LargeStore / 10 : DossierReadFigures.LargeStore, reads: quick ? 50 : 200));
        }
    }
}

Console.WriteLine();
Console.WriteLine($"load average at end: {LoadAverage()}");
Console.WriteLine();
PrintTable(figures);
Console.WriteLine();
Console.WriteLine("ratio: median of BatchScorer ÷ bare rows/s over back-to-back pairs for inference; median time ÷ goal for the metrics (below 1 passes);");
Console.WriteLine("per-proof cost at 1,000,000 ÷ at 1,000 leaves for proofs (O(log n) gives about 2); sequencer leaves/s ÷ event appends/s (at least 1 keeps up); PDF pages/s ÷ goal (at least 1 passes);");
Console.WriteLine("median of Api requests/s ÷ raw INSERT rows/s over pairs for the write path; median of COPY time ÷ Marten time for bulk append;");
Console.WriteLine("median of raw read (events decoded) time ÷ rebuild time over rounds for the dossier, and of bare rows ÷ rebuild beside it; dossier p99 with 1,000,000 events ÷ p99 with 10,000 for flatness.");
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
