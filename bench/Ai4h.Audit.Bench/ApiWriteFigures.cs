using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Ai4h.Audit.Api.Annotations;
using Ai4h.Audit.Api.Setup;
using Ai4h.Audit.Domain.Annotations;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Marten;
using Npgsql;

namespace Ai4h.Audit.Bench;

/// <summary>
/// The write path through the HTTP API (issue 9): annotators recording labels, one event per request, against the
/// database's own floor for the same work: one INSERT of the same JSON per transaction, at the same concurrency.
/// </summary>
public static class ApiWriteFigures
{
    public const double Goal = 0.60;
    public const int Clients = 32;
    public const int GoalRequests = 3_200;

    /// <summary>
    /// Database connections each side may hold. The PostgreSQL here is shared (100 slots, half of them taken by other
    /// work), so the Api's pool and the raw INSERTs' pool are capped alike; the 32 clients queue for them on both sides.
    /// </summary>
    public const int Connections = 12;
    private const int WarmupPerClient = 4;
    private const string RawSchema = "bench_raw_insert";

    /// <summary>
    /// Starts the real Api (its built dll, as a child process on Kestrel at 127.0.0.1) on the migrated database, sets up
    /// one annotation campaign per client, then times <paramref name="requests"/> label requests from
    /// <see cref="Clients"/> concurrent clients against as many raw INSERTs, in back-to-back pairs.
    /// </summary>
    public static async Task<Figure> ApiVsInsert(DatabaseConnections connections, int requests, int rounds)
    {
        var perClient = requests / Clients;
        using var api = await ApiProcess.StartAsync(new NpgsqlConnectionStringBuilder(connections.Application) { MaxPoolSize = Connections }.ConnectionString);
        using var store = DocumentStore.For(opts => RecordStore.Configure(opts, connections.Application, migrate: false));
        var campaigns = await SetUpCampaignsAsync(store, api.BaseAddress);
        Console.WriteLine($"  Api at {api.BaseAddress} (pid {api.Id}); {Clients} campaigns of {campaigns[0].Cases.Count} cases, one annotator each; " +
                          $"at most {Connections} database connections for the Api and for the raw INSERTs");

        await BenchDatabase.ExecuteAsync(connections.Owner, $"""
            drop schema if exists {RawSchema} cascade;
            create schema {RawSchema};
            create table {RawSchema}.events (seq bigserial primary key, stream_id uuid not null, type text not null, data jsonb not null,
                                             recorded_at timestamptz not null default now());
            """);
        await using var raw = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connections.Owner) { MaxPoolSize = Connections }.ConnectionString).Build();

        var next = new int[Clients];
        // Warm-up: the Api generates and compiles its handler code on first use; both paths open their connections.
        await ApiRound(campaigns, next, WarmupPerClient);
        await RawRound(raw, campaigns, WarmupPerClient, 0);

        var apiRates = new double[rounds];
        var rawRates = new double[rounds];
        var latencies = new List<double>();
        // The Api's own CPU time per request (user + system, from the OS): unlike throughput, it hardly depends on what
        // else the machine is doing, so it says what a request costs the Api even on a busy machine.
        var apiCpu = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var offset = WarmupPerClient + r * perClient;
            async Task TimeApi()
            {
                var cpu = api.CpuTime;
                var (seconds, l) = await ApiRound(campaigns, next, perClient);
                apiCpu.Add((api.CpuTime - cpu).TotalSeconds / (perClient * Clients));
                apiRates[r] = perClient * Clients / seconds;
                latencies.AddRange(l);
            }
            async Task TimeRaw() => rawRates[r] = perClient * Clients / await RawRound(raw, campaigns, perClient, offset);
            if (r % 2 == 0) { await TimeApi(); await TimeRaw(); }
            else { await TimeRaw(); await TimeApi(); }
            Console.WriteLine($"  round {r + 1}: Api {apiRates[r]:N0} requests/s, raw INSERT {rawRates[r]:N0} rows/s");
        }

        var written = await BenchDatabase.ScalarAsync(connections.Owner,
            $"select count(*) from ai4h.mt_events where stream_id = any(array[{string.Join(",", campaigns.Select(c => $"'{c.Id}'::uuid"))}]) and type = 'case_labelled'");
        var expected = Clients * (WarmupPerClient + rounds * perClient);
        if (written != expected) throw new InvalidOperationException($"expected {expected} label events in the store, found {written}");

        var ratio = Timings.MedianOf(apiRates.Zip(rawRates, (a, b) => a / b));
        var sorted = latencies.Order().ToArray();
        Console.WriteLine($"  Api latency per request: p50 {Timings.Ms(Percentile(sorted, 0.50))}, p99 {Timings.Ms(Percentile(sorted, 0.99))}; " +
                          $"Api CPU per request {Timings.Ms(Timings.MedianOf(apiCpu))}; Api log lines written: {api.OutputLines:N0}");
        return new Figure($"Event append through the HTTP API vs raw INSERT, {Clients} clients, {perClient * Clients:N0} requests",
            "Api ≥ 60 % of raw INSERT rows/s",
            $"Api {Timings.MedianOf(apiRates):N0} requests/s, raw INSERT {Timings.MedianOf(rawRates):N0} rows/s (medians of {rounds} pairs)",
            $"{ratio:P1}", perClient * Clients >= GoalRequests ? ratio >= Goal : null);
    }

    public static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private sealed record Campaign(Guid Id, HttpClient Annotator, Guid AnnotatorId, IReadOnlyList<string> Cases);

    /// <summary>Each client labels its next <paramref name="perClient"/> cases, one request each; every answer must be 201.</summary>
    private static async Task<(double Seconds, double[] Latencies)> ApiRound(IReadOnlyList<Campaign> campaigns, int[] next, int perClient)
    {
        var latencies = new double[campaigns.Count * perClient];
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(campaigns.Select(async (c, i) =>
        {
            for (var k = 0; k < perClient; k++)
            {
                var caseId = c.Cases[next[i]++];
                var started = Stopwatch.GetTimestamp();
                using var response = await c.Annotator.PostAsJsonAsync($"/api/campaigns/{c.Id}/labels",
                    new LabelCase(caseId, k % 3 == 0 ? "malignant" : "benign", 0.9, null, null));
                latencies[i * perClient + k] = Stopwatch.GetElapsedTime(started).TotalSeconds;
                if (response.StatusCode != HttpStatusCode.Created)
                    throw new InvalidOperationException($"label {caseId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }));
        return (watch.Elapsed.TotalSeconds, latencies);
    }

    /// <summary>The same event JSON, one INSERT per transaction (autocommit), one connection per client from a pool.</summary>
    private static async Task<double> RawRound(NpgsqlDataSource raw, IReadOnlyList<Campaign> campaigns, int perClient, int offset)
    {
        var payloads = campaigns.Select(c => Enumerable.Range(offset, perClient).Select(k => JsonSerializer.Serialize(
            new CaseLabelled(c.Id, c.Cases[k], c.AnnotatorId, k % 3 == 0 ? "malignant" : "benign", 0.9, null))).ToArray()).ToArray();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(campaigns.Select(async (c, i) =>
        {
            await using var conn = await raw.OpenConnectionAsync();
            foreach (var json in payloads[i])
            {
                await using var cmd = new NpgsqlCommand($"insert into {RawSchema}.events (stream_id, type, data) values ($1, 'case_labelled', $2::jsonb)", conn)
                {
                    Parameters = { new() { Value = c.Id }, new() { Value = json } },
                };
                await cmd.ExecuteNonQueryAsync();
            }
        }));
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Users are opened in the store as the setup command opens them; the data set, its version and the campaigns go
    /// through the Api, as a data steward would.
    /// </summary>
    private static async Task<IReadOnlyList<Campaign>> SetUpCampaignsAsync(DocumentStore store, Uri api)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Clients * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        HttpClient Client(string key) => new(handler, disposeHandler: false)
        {
            BaseAddress = api, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
        };
        async Task<(Guid Id, HttpClient Http)> Open(string name, Role role)
        {
            var (registered, key) = Accounts.Open($"bench.{run}.{name}", name, "Bench Org", [role], "bench");
            await using var session = store.LightweightSession();
            session.LastModifiedBy = SetupCommands.SystemActor;
            session.Events.StartStream<UserAccount>(registered.UserId, registered, key.Issued);
            await session.SaveChangesAsync();
            return (registered.UserId, Client(key.PlainText));
        }

        var steward = await Open("steward", Role.DataSteward);
        var arbitrator = await Open("arbitrator", Role.Annotator);
        var annotators = new List<(Guid Id, HttpClient Http)>();
        for (var i = 0; i < Clients; i++) annotators.Add(await Open($"annotator{i}", Role.Annotator));

        var registered = await Json(await steward.Http.PostAsJsonAsync("/api/datasets", new RegisterDataset("WDBC (bench)",
            "Wisconsin Diagnostic Breast Cancer, for the write-path benchmark", "UCI", "benchmarking", "CC BY 4.0", "tabular", "classification")));
        var datasetId = registered.GetProperty("datasetId").GetGuid();
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Data", "wdbc.csv"))), "file", "wdbc.csv");
            await Json(await steward.Http.PostAsync($"/api/datasets/{datasetId}/versions", form));
        }

        var campaigns = new List<Campaign>();
        foreach (var (annotator, i) in annotators.Select((a, i) => (a, i)))
        {
            var opened = await Json(await steward.Http.PostAsJsonAsync("/api/campaigns", new OpenCampaign($"Bench reads {i}", datasetId, 1, "case_id", null,
                ["benign", "malignant"], [annotator.Id], 1, arbitrator.Id, "reference_label")));
            campaigns.Add(new Campaign(opened.GetProperty("campaignId").GetGuid(), annotator.Http, annotator.Id, []));
        }
        var cases = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "wdbc.csv")).Skip(1).Select(l => l.Split(',')[0]).ToList();
        return campaigns.Select(c => c with { Cases = cases }).ToList();
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The Api's own dll run as a child process on a free loopback port; killed (with its children) when disposed.</summary>
    private sealed class ApiProcess : IDisposable
    {
        private readonly Process _process;
        private int _lines;

        private ApiProcess(Process process, Uri address)
        {
            _process = process;
            BaseAddress = address;
        }

        public Uri BaseAddress { get; }
        public int Id => _process.Id;
        public int OutputLines => _lines;

        public TimeSpan CpuTime
        {
            get
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
        }

        public static async Task<ApiProcess> StartAsync(string database)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            var address = new Uri($"http://127.0.0.1:{port}");
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Ai4h.Audit.Api.dll"), "--urls", address.ToString() },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                // As an operator runs it: production environment and defaults. The ledger sequencer is off because its
                // own figure measures it, and here it would compete for the two cores with the requests being timed.
                Environment =
                {
                    [DatabaseConnections.Variable] = database,
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    ["Ai4h__Ledger__SequencerEnabled"] = "false",
                },
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the Api");
            var api = new ApiProcess(process, address);
            var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
            // AI4H_BENCH_API_LOG=file keeps the Api's console output, to see what it logs per request.
            var log = Environment.GetEnvironmentVariable("AI4H_BENCH_API_LOG") is { Length: > 0 } path ? TextWriter.Synchronized(new StreamWriter(path)) : null;
            process.Exited += (_, _) => log?.Dispose();
            process.EnableRaisingEvents = true;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Interlocked.Increment(ref api._lines); log?.WriteLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Interlocked.Increment(ref api._lines); errors.Enqueue(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var probeClient = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(90))
            {
                if (process.HasExited) throw new InvalidOperationException($"the Api exited ({process.ExitCode}): {string.Join('\n', errors.TakeLast(20))}");
                try
                {
                    using var health = await probeClient.GetAsync("/health");
                    if (health.IsSuccessStatusCode) return api;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                await Task.Delay(250);
            }
            api.Dispose();
            throw new InvalidOperationException("the Api did not answer /health within 90 s");
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
            _process.Dispose();
        }
    }
}
