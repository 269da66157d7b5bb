using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Tests.Infrastructure;
using Marten;
using Npgsql;
using Xunit.Abstractions;

namespace Ai4h.Audit.Tests.Reliability;

/// <summary>
/// Faults a system of record must survive without losing anything it acknowledged: the Api killed with SIGKILL in
/// the middle of a burst of writes, PostgreSQL crashing under a running Api and Runner, and two Api instances
/// writing the same stream at once. A Runner killed mid-evaluation is proved by
/// <see cref="Evaluations.RunnerProcessTests"/>. The processes are the built programs, started as separate
/// operating-system processes; every wait is on a condition, with generous time limits for a loaded machine.
/// </summary>
public sealed class FaultTests(ApiFixture fixture, FaultTests.SecondApi second, ITestOutputHelper output)
    : ApiTest(fixture), IClassFixture<FaultTests.SecondApi>
{
    /// <summary>
    /// One Api process on the test database shared by the tests of this class: the instance that replaces the killed
    /// one, and the second instance of the race. Starting a process costs most of these tests' time.
    /// </summary>
    public sealed class SecondApi : IAsyncLifetime
    {
        private readonly SemaphoreSlim _once = new(1, 1);
        private ApiProcess? _process;

        public async Task<ApiProcess> GetAsync(string applicationConnection)
        {
            await _once.WaitAsync();
            try
            {
                if (_process is { HasExited: true }) await _process.DisposeAsync();
                if (_process is null or { HasExited: true }) _process = await ApiProcess.StartAsync(applicationConnection);
                return _process;
            }
            finally
            {
                _once.Release();
            }
        }

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync()
        {
            if (_process is not null) await _process.DisposeAsync();
        }
    }

    [Fact]
    public async Task an_api_killed_mid_burst_keeps_every_acknowledged_write_and_leaves_nothing_half_written()
    {
        var burst = new Burst("kill");
        int inFlightAtKill;
        await using (var api = await ApiProcess.StartAsync(Fixture.Connections.Application))
        {
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 6)
                .Select(i => Task.Run(() => burst.RunClientAsync(api.Client(Steward.ApiKey), i, uploads: true, stop.Token)))
                .ToList();
            await WaitUntil(() => Task.FromResult(burst.Acknowledged >= 40), TimeSpan.FromSeconds(180),
                () => $"acknowledged {burst.Acknowledged}\n{burst.Describe()}\n{api.Log}");
            inFlightAtKill = burst.InFlight;
            await api.KillAsync();
            stop.Cancel();
            await Task.WhenAll(clients);
        }
        output.WriteLine($"killed with {inFlightAtKill} requests in flight; {burst.Describe()}");

        // Up to the kill every answer was a success; after it the clients saw only broken or refused connections.
        burst.Attempts.Where(a => a.Status is { } s && s != 201).ShouldBeEmpty();
        inFlightAtKill.ShouldBeGreaterThan(0, "the kill must interrupt requests in flight");

        var restarted = await second.GetAsync(Fixture.Connections.Application);
        using var http = restarted.Client(Steward.ApiKey);
        await AssertAcknowledgedWritesAreOnRecord(http, burst);
        await AssertNothingHalfWrittenOrDuplicated(Fixture.Connections.Owner);

        // Each acknowledged upload's request to the Runner committed with it (transactional outbox): it has been
        // handled, or it waits durably in the outbox, the queue or the inbox; none is lost with the killed process.
        var uploads = burst.Acknowledgements("upload").Select(a => a.DatasetId!.Value).ToList();
        var lost = new List<Guid>();
        foreach (var id in uploads)
            if (!await ScalarAsync<bool>(Fixture.Connections.Owner, VerificationHandledOrDurable, id)) lost.Add(id);
        lost.ShouldBeEmpty("acknowledged uploads whose verification message is nowhere");
        // Those the killed process had not yet handed over wait in its outbox until Wolverine's durability agent
        // declares the node dormant (StaleNodeTimeout) and another node sends them; the rest are verified now.
        var stranded = new List<Guid>();
        foreach (var id in uploads)
            if (await ScalarAsync<bool>(Fixture.Connections.Owner, VerificationInOutbox, id)) stranded.Add(id);
        output.WriteLine($"{uploads.Count} acknowledged uploads, {stranded.Count} of their messages still in the killed node's outbox");
        await WaitUntil(async () =>
        {
            foreach (var id in uploads.Except(stranded))
                if (!await ScalarAsync<bool>(Fixture.Connections.Owner, VerificationRecorded, id)) return false;
            return true;
        }, TimeSpan.FromSeconds(120), () => "the Runner did not verify every acknowledged upload");

        // The restarted Api records new writes.
        await (await http.PostAsJsonAsync("/api/datasets", Burst.Registration("after the kill"), Http.Json)).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task a_database_crash_mid_burst_loses_no_acknowledged_write_and_the_api_and_runner_reconnect_by_themselves()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        var (exit, migrated) = await RunAsync("dotnet", [RunnerProcess.BuiltProgram("Ai4h.Audit.Api"), "migrate"],
            new Dictionary<string, string> { [DatabaseConnections.Variable] = cluster.Connections.Application });
        exit.ShouldBe(0, migrated);
        var stewardKey = await OpenAccountAsync(cluster.Connections.Application, "steward", Role.DataSteward);

        await using var api = await ApiProcess.StartAsync(cluster.Connections.Application);
        await using var runner = RunnerProcess.Start(cluster.Connections.Application, new Dictionary<string, string>());
        using var http = api.Client(stewardKey, TimeSpan.FromSeconds(60));
        await UploadAndWaitForVerification(http, "before the crash", () => api.Log + runner.Log);

        var burst = new Burst("crash");
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4)
            .Select(i => Task.Run(() => burst.RunClientAsync(api.Client(stewardKey, TimeSpan.FromSeconds(60)), i, uploads: true, stop.Token)))
            .ToList();
        await WaitUntil(() => Task.FromResult(burst.Acknowledged >= 15), TimeSpan.FromSeconds(120), () => burst.Describe() + api.Log);

        await cluster.CrashAsync();
        var failedBefore = burst.Failed;
        // While the database is down the clients get errors; it stays down until they have seen some.
        await WaitUntil(() => Task.FromResult(burst.Failed >= failedBefore + 4), TimeSpan.FromSeconds(120), () => burst.Describe() + api.Log);
        await cluster.StartServerAsync();
        var acknowledgedAtRestart = burst.Acknowledged;

        // Neither process is restarted: the same Api answers successes again, then the Runner takes new work.
        await WaitUntil(() => Task.FromResult(burst.Acknowledged >= acknowledgedAtRestart + 15), TimeSpan.FromSeconds(180),
            () => $"{burst.Describe()}\n{api.Log}\n{cluster.Log}");
        stop.Cancel();
        await Task.WhenAll(clients);
        output.WriteLine(burst.Describe());
        api.HasExited.ShouldBeFalse(api.Log);
        // What the clients were told while the database was away: 503 problem details (with Retry-After), never a
        // success and never a claim that nothing was recorded when the outcome of a commit is unknown.
        burst.Attempts.Where(a => a.Status is { } s && s != 201 && s != 503).ShouldBeEmpty(Failures(api.Log));
        burst.Attempts.Where(a => a.Status == 503).ShouldNotBeEmpty("the clients must have seen the outage");
        burst.Attempts.Where(a => a.Status == 503).ShouldAllBe(a => a.Error!.Contains("Database unavailable"));
        for (var i = 0; i < 5; i++) // and every write succeeds, not just some
            await (await http.PostAsJsonAsync("/api/datasets", Burst.Registration($"after the crash {i}"), Http.Json)).ShouldBe(HttpStatusCode.Created);
        await UploadAndWaitForVerification(http, "after the crash", () => api.Log + runner.Log);

        await AssertAcknowledgedWritesAreOnRecord(http, burst);
        await AssertNothingHalfWrittenOrDuplicated(cluster.Connections.Owner);
    }

    [Fact]
    public async Task two_api_instances_writing_one_stream_with_the_same_expected_version_give_one_success_and_one_409()
    {
        var other = await second.GetAsync(Fixture.Connections.Application);
        using var outOfProcess = other.Client(Steward.ApiKey);
        var instances = new[] { ("in-process", Steward.Http), ("process", outOfProcess) };
        // Each instance serves an upload first: a cold process's first request compiles its code path, and the
        // race below must not wait on that while the other request holds its place in the lock queue.
        foreach (var (name, http) in instances)
            await UploadAndWaitForVerification(http, $"warm-up of {name}", () => other.Log);

        for (var round = 0; round < 2; round++)
        {
            var created = await (await Steward.Http.PostAsJsonAsync("/api/datasets", Burst.Registration($"race {round}"), Http.Json))
                .ShouldBe(HttpStatusCode.Created);
            var id = created["datasetId"]!.GetValue<Guid>();
            var files = instances.Select(i => Burst.Csv($"race {round} by {i.Item1}")).ToArray();

            // Both requests read the stream at version 1 and pass the expectedVersion check; a table lock held by the
            // schema owner holds both before their commit (one waits on the lock, the other on the first's row of the
            // data set's read model), so the event store decides, not timing.
            HttpResponseMessage[] responses;
            await using (var gate = new NpgsqlConnection(Fixture.Connections.Owner))
            {
                await gate.OpenAsync();
                await using var tx = await gate.BeginTransactionAsync();
                await using (var lockStreams = new NpgsqlCommand("lock table ai4h.mt_streams in exclusive mode", gate, tx))
                    await lockStreams.ExecuteNonQueryAsync();
                var writes = instances.Select((instance, i) => Task.Run(() =>
                    instance.Item2.PostFile($"/api/datasets/{id}/versions", files[i], $"{instance.Item1}.csv",
                        new Dictionary<string, string> { ["expectedVersion"] = "1", ["reason"] = $"revision by {instance.Item1}" }))).ToArray();
                // Released once both wait, or after 15 s at the latest so that neither reaches its command timeout
                // on a slow machine: then the later request is refused by the expectedVersion check, also a 409.
                var gateDeadline = DateTime.UtcNow.AddSeconds(15);
                while (!writes.Any(w => w.IsCompleted) && DateTime.UtcNow < gateDeadline
                       && await ScalarAsync<long>(Fixture.Connections.Owner, "select count(distinct pid) from pg_locks where not granted", null) < 2)
                    await Task.Delay(50);
                await tx.RollbackAsync();
                responses = await Task.WhenAll(writes);
            }

            var statuses = responses.Select(r => (int)r.StatusCode).ToArray();
            output.WriteLine($"round {round}: {string.Join(", ", statuses)}");
            if (statuses.Count(s => s == 201) != 1) output.WriteLine(other.Log);
            statuses.Count(s => s == 201).ShouldBe(1, string.Join("\n", await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))));
            var winner = Array.FindIndex(statuses, s => s == 201);
            var loser = 1 - winner;
            var problem = await responses[loser].ShouldBeProblem(HttpStatusCode.Conflict);
            output.WriteLine($"round {round}: {instances[winner].Item1} won; {instances[loser].Item1}: {problem["title"]} - {problem["detail"]}");

            // No lost update: the stream holds the winner's version and nothing of the loser's, bytes included.
            var history = (await (await Steward.Http.GetAsync($"/api/datasets/{id}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
            var uploaded = history.Where(e => e!["type"]!.GetValue<string>() == "dataset_version_uploaded").ToList();
            uploaded.Count.ShouldBe(1);
            uploaded[0]!["streamVersion"]!.GetValue<long>().ShouldBe(2);
            uploaded[0]!["data"]!["sha256"]!.GetValue<string>().ShouldBe(Sha256.Hex(files[winner]));
            (await ScalarAsync<long>(Fixture.Connections.Owner, "select count(*) from ai4h.blobs where sha256 = $1", Sha256.Hex(files[loser])))
                .ShouldBe(0, "the refused write's bytes were rolled back with it");
            var versions = (await (await Steward.Http.GetAsync($"/api/datasets/{id}/versions")).ShouldBe(HttpStatusCode.OK)).AsArray();
            versions.Single()!["fileName"]!.GetValue<string>().ShouldBe($"{instances[winner].Item1}.csv");
            // The Runner verifies the winner before the next round, so no append of its own joins the next race.
            await WaitUntil(() => ScalarAsync<bool>(Fixture.Connections.Owner, VerificationRecorded, id), TimeSpan.FromSeconds(120),
                () => "the Runner did not verify the winning upload");
        }
        await AssertNothingHalfWrittenOrDuplicated(Fixture.Connections.Owner);
    }

    // --- What "on record" and "nothing half-written" mean, checked the same way after every fault -----------------

    /// <summary>Every write that was answered 201 is readable, by the id it returned, with the content that was sent.</summary>
    private static async Task AssertAcknowledgedWritesAreOnRecord(HttpClient http, Burst burst)
    {
        foreach (var registered in burst.Acknowledgements("register"))
        {
            var dataset = await (await http.GetAsync($"/api/datasets/{registered.DatasetId}")).ShouldBe(HttpStatusCode.OK);
            dataset["name"]!.GetValue<string>().ShouldBe(registered.Key);
        }
        foreach (var upload in burst.Acknowledgements("upload"))
        {
            var versions = (await (await http.GetAsync($"/api/datasets/{upload.DatasetId}/versions")).ShouldBe(HttpStatusCode.OK)).AsArray();
            versions.Select(v => v!["sha256"]!.GetValue<string>()).ShouldContain(upload.Key);
        }
    }

    /// <summary>
    /// Read straight from the tables (as the schema owner): every stream's events are all there, numbered 1..n as the
    /// stream says; every event a request caused carries its actor; every uploaded version's bytes are stored; every
    /// data set's read model matches its stream; and no write was recorded twice.
    /// </summary>
    private static async Task AssertNothingHalfWrittenOrDuplicated(string ownerConnection)
    {
        var checks = new Dictionary<string, string>
        {
            ["streams whose events disagree with their version"] = """
                select format('%s (%s) at version %s with %s events numbered %s..%s', s.id, s.type, s.version, coalesce(e.n, 0), e.lo, e.hi)
                  from ai4h.mt_streams s
                  left join (select stream_id, count(*) n, min(version) lo, max(version) hi from ai4h.mt_events group by stream_id) e
                    on e.stream_id = s.id
                 where (coalesce(e.n, 0) <> s.version or coalesce(e.lo, 1) <> 1 or coalesce(e.hi, 0) <> s.version)
                   and exists (select from ai4h.mt_events t where t.stream_id = s.id and t.mt_dotnet_type not like 'JasperFx.Events.Tombstone%')
                """,
            ["events without their actor"] = """
                select format('%s %s on %s v%s by %s, headers %s', seq_id, type, stream_id, version, user_name, headers) from ai4h.mt_events
                 where mt_dotnet_type not like 'JasperFx.Events.Tombstone%'
                   and (coalesce(user_name, '') = ''
                        or (user_name not like 'system:%' and not (coalesce(headers, '{}') ? 'actor-id' and headers ? 'actor-roles')))
                """,
            // Marten's tombstones fill the sequence numbers of failed units of work, in a stream of their own.
            ["tombstones mixed with events"] = """
                select stream_id::text from ai4h.mt_events group by stream_id
                having count(*) filter (where mt_dotnet_type like 'JasperFx.Events.Tombstone%') between 1 and count(*) - 1
                """,
            ["uploaded versions whose bytes are missing"] = """
                select e.seq_id::text from ai4h.mt_events e
                 where e.type = 'dataset_version_uploaded'
                   and not exists (select from ai4h.blobs b where b.sha256 = e.data ->> 'Sha256')
                """,
            ["data set streams that do not begin with their registration"] = """
                select s.id::text from ai4h.mt_streams s
                 where s.type = 'dataset'
                   and not exists (select from ai4h.mt_events e where e.stream_id = s.id and e.version = 1 and e.type = 'dataset_registered')
                """,
            ["data set read models that disagree with their stream"] = """
                select coalesce(s.id, d.id)::text from ai4h.mt_streams s
                  full join ai4h.mt_doc_dataset d on d.id = s.id
                 where (s.type = 'dataset' or s.id is null)
                   and (d.id is null or s.id is null or (d.data ->> 'Version')::bigint <> s.version
                        or jsonb_array_length(d.data -> 'Versions') <>
                           (select count(*) from ai4h.mt_events e where e.stream_id = s.id and e.type = 'dataset_version_uploaded'))
                """,
            ["data sets registered twice"] = """
                select data ->> 'Name' from ai4h.mt_events where type = 'dataset_registered' group by 1 having count(*) > 1
                """,
            ["versions uploaded twice"] = """
                select data ->> 'Sha256' from ai4h.mt_events where type = 'dataset_version_uploaded' group by 1 having count(*) > 1
                """,
        };
        await using var conn = new NpgsqlConnection(ownerConnection);
        await conn.OpenAsync();
        var problems = new List<string>();
        foreach (var (what, sql) in checks)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            var found = new List<string>();
            while (await reader.ReadAsync()) found.Add(reader.GetString(0));
            if (found.Count > 0) problems.Add($"{what}: {string.Join(", ", found.Take(10))}");
        }
        problems.ShouldBeEmpty();
    }

    private const string VerificationRecorded = """
        select exists (select from ai4h.mt_events where stream_id = $1
                        and type in ('dataset_version_verified', 'dataset_version_verification_failed'))
        """;

    private const string VerificationInOutbox = """
        select exists (select from ai4h.wolverine_outgoing_envelopes where position(convert_to($1::text, 'UTF8') in body) > 0)
        """;

    /// <summary>In one statement, so one snapshot: the message is handled, or stored at one of the stages it passes through.</summary>
    private const string VerificationHandledOrDurable = """
        select exists (select from ai4h.mt_events where stream_id = $1
                        and type in ('dataset_version_verified', 'dataset_version_verification_failed'))
            or exists (select from ai4h.wolverine_outgoing_envelopes where position(convert_to($1::text, 'UTF8') in body) > 0)
            or exists (select from wolverine_queues.wolverine_queue_runner where position(convert_to($1::text, 'UTF8') in body) > 0)
            or exists (select from ai4h.wolverine_incoming_envelopes where position(convert_to($1::text, 'UTF8') in body) > 0)
        """;

    // --- Helpers -------------------------------------------------------------------------------------------------

    private static async Task UploadAndWaitForVerification(HttpClient http, string name, Func<string> context)
    {
        var created = await (await http.PostAsJsonAsync("/api/datasets", Burst.Registration(name), Http.Json)).ShouldBe(HttpStatusCode.Created);
        var url = created["url"]!.GetValue<string>();
        await (await http.PostFile($"{url}/versions", Burst.Csv(name))).ShouldBe(HttpStatusCode.Created);
        await WaitUntil(async () =>
        {
            var version = await (await http.GetAsync($"{url}/versions/1")).ShouldBe(HttpStatusCode.OK);
            return version["verification"]!.GetValue<string>() == "Verified";
        }, TimeSpan.FromSeconds(180), () => $"the Runner did not verify {url} ({name})\n{context()}");
    }

    /// <summary>Opens an account directly in a store (as the setup command does) and returns its API key.</summary>
    private static async Task<string> OpenAccountAsync(string applicationConnection, string userName, params Role[] roles)
    {
        using var store = DocumentStore.For(o => RecordStore.Configure(o, applicationConnection, migrate: false));
        var (registered, key) = Accounts.Open(userName, userName.ToUpperInvariant(), "Test Org", roles, "test");
        await using var session = store.LightweightSession();
        session.LastModifiedBy = Api.Setup.SetupCommands.SystemActor;
        session.Events.StartStream<UserAccount>(registered.UserId, registered, key.Issued);
        await session.SaveChangesAsync();
        return key.PlainText;
    }

    /// <summary>The exceptions a process logged, for a failure message.</summary>
    private static string Failures(string log) =>
        string.Join("\n", log.Split('\n').Where(l => l.Contains("Exception") && !l.TrimStart().StartsWith("at ")).Distinct().Take(20));

    private static async Task<T> ScalarAsync<T>(string connection, string sql, object? parameter)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        if (parameter is not null) cmd.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {timeout.TotalSeconds} s: {context()}");
            await Task.Delay(100);
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, string[] arguments, IDictionary<string, string> environment)
    {
        var info = new System.Diagnostics.ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// Concurrent clients registering data sets and uploading a version of each, every request with unique content so
    /// that it can be found again; what each request was answered (or the error it got instead) is kept.
    /// </summary>
    private sealed class Burst(string tag)
    {
        private readonly ConcurrentQueue<Attempt> _attempts = new();
        private int _inFlight;
        private int _acknowledged;
        private int _failed;

        public sealed record Attempt(string Kind, string Key, Guid? DatasetId, int? Status, string? Error);

        public IReadOnlyCollection<Attempt> Attempts => _attempts;
        public int InFlight => Volatile.Read(ref _inFlight);
        public int Acknowledged => Volatile.Read(ref _acknowledged);
        public int Failed => Volatile.Read(ref _failed);

        public IEnumerable<Attempt> Acknowledgements(string kind) => _attempts.Where(a => a.Kind == kind && a.Status == 201);

        public static object Registration(string name) => new
        {
            name,
            description = "fault test",
            owner = "Ai4h.Audit tests",
            intendedUse = "proving that acknowledged writes survive faults",
            licence = "CC0",
            modality = "tabular",
            task = "binary classification",
        };

        public static byte[] Csv(string name) =>
            Encoding.UTF8.GetBytes($"case_id,site,score,label\r\nc1,{name},0.91,1\r\nc2,{name},0.12,0\r\nc3,{name},0.55,1\r\n");

        public async Task RunClientAsync(HttpClient http, int client, bool uploads, CancellationToken stop)
        {
            using (http)
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var name = $"{tag} burst client {client} write {i}";
                    var (status, body, error) = await SendAsync(() => http.PostAsJsonAsync("/api/datasets", Registration(name), Http.Json));
                    Guid? id = status == 201 ? JsonNode.Parse(body!)!["datasetId"]!.GetValue<Guid>() : null;
                    Record(new Attempt("register", name, id, status, error ?? (status == 201 ? null : body)));
                    if (id is null)
                    {
                        await Task.Delay(50); // the server or the database is down: do not spin
                        continue;
                    }
                    if (!uploads) continue;
                    var csv = Csv(name);
                    (status, body, error) = await SendAsync(() => http.PostFile($"/api/datasets/{id}/versions", csv, "cases.csv"));
                    Record(new Attempt("upload", Sha256.Hex(csv), id, status, error ?? (status == 201 ? null : body)));
                }
            }
        }

        private void Record(Attempt attempt)
        {
            _attempts.Enqueue(attempt);
            if (attempt.Status == 201) Interlocked.Increment(ref _acknowledged);
            else Interlocked.Increment(ref _failed);
        }

        /// <summary>A response counts only once its whole body has arrived; a cut-off one is an error like any other.</summary>
        private async Task<(int? Status, string? Body, string? Error)> SendAsync(Func<Task<HttpResponseMessage>> send)
        {
            Interlocked.Increment(ref _inFlight);
            try
            {
                using var response = await send();
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), null);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                return (null, null, $"{e.GetType().Name}: {e.Message}");
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public string Describe()
        {
            var byOutcome = _attempts.GroupBy(a => a.Status?.ToString() ?? "no response").Select(g => $"{g.Key}: {g.Count()}");
            var firstErrors = _attempts.Where(a => a.Status != 201).Select(a => a.Error).Distinct().Take(3);
            return $"{_attempts.Count} requests ({string.Join(", ", byOutcome)}); e.g. {string.Join(" | ", firstErrors)}";
        }
    }
}
