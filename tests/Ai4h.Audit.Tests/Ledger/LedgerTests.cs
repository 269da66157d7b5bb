using System.Net;
using System.Text.Json;
using Ai4h.Audit.Api.Ledger;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Ledger;
using Ai4h.Audit.Tests.Datasets;
using Ai4h.Audit.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ai4h.Audit.Tests.Ledger;

/// <summary>
/// The ledger on real PostgreSQL: every event becomes a leaf in sequence order, checkpoints are signed, proofs verify,
/// a missing sequence number blocks it, two sequencers never add a leaf twice, and tampering with the store as its
/// owner (change, delete, insert, reorder) is caught by the Api's check and by the offline verifier, naming the event.
/// </summary>
public sealed class LedgerTests(ApiFixture fixture) : ApiTest(fixture)
{
    private TestUser _regulator = null!;
    private LedgerService Ledger => Fixture.Host.Services.GetRequiredService<LedgerService>();
    private LedgerSequencer Sequencer => Fixture.Host.Services.GetRequiredService<LedgerSequencer>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Ledger.ReloadAsync(CancellationToken.None);
        _regulator = await Fixture.CreateUserAsync("regulator", Role.Regulator);
    }

    private async Task RecordSomeEventsAsync(int datasets = 3)
    {
        for (var i = 0; i < datasets; i++)
            await (await Steward.Http.PostJson("/api/datasets", DatasetsApiTests.Registration)).ShouldBe(HttpStatusCode.Created);
    }

    private async Task<long> SequenceAllAsync()
    {
        var total = 0L;
        while (await Sequencer.SequenceOnceAsync(CancellationToken.None) is var n && n > 0) total += n;
        return total;
    }

    private async Task<StoredCheckpoint> CheckpointAsync() =>
        (await (await _regulator.Http.PostAsync("/api/ledger/checkpoints", null)).ShouldBe(HttpStatusCode.Created)).Deserialize<StoredCheckpoint>(Http.Json)!;

    private Task<long> EventCountAsync() => ScalarAsync("select count(*) from ai4h.mt_events");

    private Task<long> ScalarAsync(string sql) => Fixture.ScalarAsync(sql);

    /// <summary>Runs SQL as the schema owner: what a database administrator could do behind the application's back.</summary>
    private Task AsOwnerAsync(string sql) => Fixture.ScalarAsync(sql);

    [Fact]
    public async Task every_event_becomes_a_leaf_in_sequence_order_and_the_signed_checkpoint_and_proofs_verify()
    {
        await RecordSomeEventsAsync();
        var events = await EventCountAsync();
        (await SequenceAllAsync()).ShouldBe(events);
        var checkpoint = await CheckpointAsync();
        checkpoint.TreeSize.ShouldBe(events);

        var key = await (await _regulator.Http.GetAsync("/api/ledger/public-key")).ShouldBe(HttpStatusCode.OK);
        var signed = CheckpointNote.Verify(checkpoint.Note, key["verifierKey"]!.GetValue<string>());
        (signed.Size, Convert.ToHexStringLower(signed.RootHash)).ShouldBe((checkpoint.TreeSize, checkpoint.RootHash));

        for (var sequence = 1L; sequence <= events; sequence++)
        {
            var proof = await (await _regulator.Http.GetAsync($"/api/ledger/proofs/inclusion/{sequence}")).ShouldBe(HttpStatusCode.OK);
            Rfc6962.VerifyInclusion(Convert.FromHexString(proof["leafHash"]!.GetValue<string>()), proof["leafIndex"]!.GetValue<long>(), events,
                proof["proof"]!.AsArray().Select(p => Convert.FromHexString(p!.GetValue<string>())).ToList(), signed.RootHash).ShouldBeTrue();
        }

        // The log only grows: a later checkpoint is consistent with the earlier one.
        await RecordSomeEventsAsync(2);
        await SequenceAllAsync();
        var later = await CheckpointAsync();
        var consistency = await (await _regulator.Http.GetAsync($"/api/ledger/proofs/consistency?from={checkpoint.TreeSize}&to={later.TreeSize}"))
            .ShouldBe(HttpStatusCode.OK);
        Rfc6962.VerifyConsistency(checkpoint.TreeSize, later.TreeSize, Convert.FromHexString(checkpoint.RootHash), Convert.FromHexString(later.RootHash),
            consistency["proof"]!.AsArray().Select(p => Convert.FromHexString(p!.GetValue<string>())).ToList()).ShouldBeTrue();

        var check = await (await _regulator.Http.GetAsync("/api/ledger/verification")).ShouldBe(HttpStatusCode.OK);
        check["ok"]!.GetValue<bool>().ShouldBeTrue(check.ToJsonString());
        await (await Steward.Http.GetAsync("/api/ledger/verification")).ShouldBe(HttpStatusCode.OK); // stewards assess too
    }

    [Fact]
    public async Task without_a_signing_key_leaves_are_recorded_but_checkpoints_are_refused_with_503()
    {
        await RecordSomeEventsAsync(1);
        var unsigned = new LedgerService(Fixture.Connections, Options.Create(new LedgerSettings()), NullLogger<LedgerService>.Instance);
        (await new LedgerSequencer(unsigned, NullLogger<LedgerSequencer>.Instance).SequenceOnceAsync(CancellationToken.None)).ShouldBeGreaterThan(0);
        var refused = await Should.ThrowAsync<LedgerNotSigning>(() => unsigned.CheckpointAsync(CancellationToken.None));
        Ai4h.Audit.Api.RecordExceptionHandler.Classify(refused).Status.ShouldBe(503);
    }

    [Fact]
    public async Task two_sequencers_at_once_never_add_a_leaf_twice()
    {
        var other = new LedgerSequencer(new LedgerService(Fixture.Connections, Options.Create(Ledger.Settings), NullLogger<LedgerService>.Instance),
            NullLogger<LedgerSequencer>.Instance);
        var writes = Task.Run(async () => { for (var i = 0; i < 10; i++) await RecordSomeEventsAsync(1); });
        var rounds = Enumerable.Range(0, 40).Select(async i =>
        {
            try { await (i % 2 == 0 ? Sequencer : other).SequenceOnceAsync(CancellationToken.None); }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation) { } // the other one won this round
        });
        await Task.WhenAll(rounds.Append(writes));
        await SequenceAllAsync();

        (await ScalarAsync("select count(*) from ai4h.ledger_leaves")).ShouldBe(await EventCountAsync());
        (await ScalarAsync("select count(distinct sequence) from ai4h.ledger_leaves")).ShouldBe(await EventCountAsync());
        (await ScalarAsync("select max(leaf_index) + 1 from ai4h.ledger_leaves")).ShouldBe(await EventCountAsync());
    }

    [Fact]
    public async Task of_two_running_sequencer_services_one_holds_the_lock_and_sequences_and_the_other_stands_by()
    {
        LedgerSequencer Service()
        {
            var settings = new LedgerSettings { SequencerEnabled = true, SequencerInterval = TimeSpan.FromMilliseconds(50), SigningKeyFile = Ledger.Settings.SigningKeyFile };
            return new LedgerSequencer(new LedgerService(Fixture.Connections, Options.Create(settings), NullLogger<LedgerService>.Instance),
                NullLogger<LedgerSequencer>.Instance);
        }
        var (a, b) = (Service(), Service());
        await a.StartAsync(CancellationToken.None);
        await b.StartAsync(CancellationToken.None);
        try
        {
            await RecordSomeEventsAsync();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await ScalarAsync("select count(*) from ai4h.ledger_leaves") < await EventCountAsync())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("the sequencer services did not catch up");
                await Task.Delay(100);
            }
            new[] { a.Status.Active, b.Status.Active }.Count(active => active).ShouldBe(1);
        }
        finally
        {
            await a.StopAsync(CancellationToken.None);
            await b.StopAsync(CancellationToken.None);
        }
        (await ScalarAsync("select count(distinct sequence) from ai4h.ledger_leaves")).ShouldBe(await EventCountAsync());
    }

    [Fact]
    public async Task a_missing_sequence_number_blocks_the_ledger_until_no_transaction_could_still_commit_it()
    {
        await RecordSomeEventsAsync(1);
        var before = await EventCountAsync();
        // A transaction of the application holds a sequence number it has not committed (and may still commit)...
        await using var open = new NpgsqlConnection(Fixture.Connections.Application);
        await open.OpenAsync();
        await using var transaction = await open.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("select nextval('ai4h.mt_events_sequence'), txid_current()", open, transaction))
            await hold.ExecuteNonQueryAsync();
        await RecordSomeEventsAsync(1); // ...while a later event commits

        await SequenceAllAsync();
        (await ScalarAsync("select count(*) from ai4h.ledger_leaves")).ShouldBe(before); // it stops before the gap
        Sequencer.Status.BlockedAtSequence.ShouldBe(before + 1);
        await Task.Delay(Ledger.Settings.GapSettle + TimeSpan.FromMilliseconds(500));
        await SequenceAllAsync();
        (await ScalarAsync("select count(*) from ai4h.ledger_leaves")).ShouldBe(before); // still open: still blocked

        await transaction.RollbackAsync(); // the number will never be committed
        await Task.Delay(Ledger.Settings.GapSettle + TimeSpan.FromMilliseconds(500));
        await SequenceAllAsync();
        (await ScalarAsync($"select kind from ai4h.ledger_leaves where sequence = {before + 1}")).ShouldBe((long)LedgerLeafKind.Void);
        (await ScalarAsync("select count(*) from ai4h.ledger_leaves")).ShouldBe(before + 2);
        Sequencer.Status.BlockedAtSequence.ShouldBeNull();
    }

    public static TheoryData<string, string> Tampering() => new()
    {
        { "change", "update ai4h.mt_events set data = data || '{\"forged\": true}' where seq_id = {X}" },
        { "delete", "delete from ai4h.mt_events where seq_id = {X}" },
        // Make room at X by moving every later event up one, then slip a forged event in (as the mover's copy of X+1).
        { "insert", """
            update ai4h.mt_events set seq_id = -seq_id - 1 where seq_id >= {X};
            update ai4h.mt_events set seq_id = -seq_id where seq_id < 0;
            insert into ai4h.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name)
              select {X}, gen_random_uuid(), stream_id, version + 1000, data, type, timestamp, tenant_id, mt_dotnet_type, 'forger'
                from ai4h.mt_events where seq_id = {X} + 1;
            """ },
        { "reorder", """
            update ai4h.mt_events set seq_id = -1 where seq_id = {X};
            update ai4h.mt_events set seq_id = {X} where seq_id = {X} + 1;
            update ai4h.mt_events set seq_id = {X} + 1 where seq_id = -1;
            """ },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task tampering_with_the_store_as_its_owner_is_detected_and_names_the_event(string what, string sql)
    {
        await RecordSomeEventsAsync();
        await SequenceAllAsync();
        var checkpoint = await CheckpointAsync();
        const long x = 4;
        x.ShouldBeLessThan(checkpoint.TreeSize);

        await AsOwnerAsync(sql.Replace("{X}", x.ToString()));

        var check = await (await _regulator.Http.GetAsync("/api/ledger/verification")).ShouldBe(HttpStatusCode.OK);
        check["ok"]!.GetValue<bool>().ShouldBeFalse(what);
        check["firstBadSequence"]!.GetValue<long>().ShouldBe(x, check.ToJsonString());

        var bundle = await (await _regulator.Http.GetAsync($"/api/ledger/bundle?treeSize={checkpoint.TreeSize}")).Content.ReadAsStringAsync();
        var report = BundleVerifier.Verify(JsonSerializer.Deserialize<LedgerBundle>(bundle, Http.Json)!, Ledger.Signer!.VerifierKey);
        report.Ok.ShouldBeFalse(what);
        report.FirstBadSequence.ShouldBe(x, report.Message);
    }

    [Fact]
    public async Task an_untouched_store_exports_a_bundle_that_the_offline_verifier_accepts()
    {
        await RecordSomeEventsAsync();
        await (await _regulator.Http.PostJson("/api/users/me/password", new { newPassword = "a long enough secret phrase" })).ShouldBe(HttpStatusCode.NoContent);
        await SequenceAllAsync();
        var checkpoint = await CheckpointAsync();

        var bundle = await (await _regulator.Http.GetAsync($"/api/ledger/bundle?treeSize={checkpoint.TreeSize}")).Content.ReadAsStringAsync();
        var report = BundleVerifier.Verify(JsonSerializer.Deserialize<LedgerBundle>(bundle, Http.Json)!, Ledger.Signer!.VerifierKey);
        report.Ok.ShouldBeTrue(report.Message);
        report.TreeSize.ShouldBe(checkpoint.TreeSize);
        // Password hashes never leave the platform: that event travels as the hash of its content, still bound to its leaf.
        var passwordEntry = LedgerBundle.Parse(bundle).Entries.Single(e => e.EventType == "password_set");
        (passwordEntry.Data, passwordEntry.DataSha256).ShouldSatisfyAllConditions(() => passwordEntry.Data.ShouldBeNull(), () => passwordEntry.DataSha256!.Length.ShouldBe(64));
        bundle.ShouldNotContain("saltBase64", Case.Insensitive);
        // Nor do API key hashes.
        LedgerBundle.Parse(bundle).Entries.Where(e => e.EventType == "api_key_issued").ShouldAllBe(e => e.Data == null && e.DataSha256 != null);
        bundle.ShouldNotContain("secretSha256", Case.Insensitive);

        // The standalone verifier program, given the bundle as a file and the published key: exit 0, then 1 once a byte changes.
        var file = Path.Combine(Path.GetTempPath(), $"ai4h-bundle-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(file, bundle);
            var (exit, output) = await RunVerifierAsync(file, Ledger.Signer.VerifierKey);
            (exit, output).ShouldSatisfyAllConditions(() => exit.ShouldBe(0, output), () => output.ShouldStartWith("OK:"));

            // One letter of one event's stored JSON changed in the exported file.
            var parsed = LedgerBundle.Parse(bundle);
            var target = parsed.Entries.First(e => e.Data?.Contains("Wisconsin") == true);
            var forged = parsed with { Entries = [.. parsed.Entries.Select(e => e == target ? e with { Data = e.Data!.Replace("Wisconsin", "Wisconsln") } : e)] };
            await File.WriteAllTextAsync(file, forged.ToJson());
            (exit, output) = await RunVerifierAsync(file, Ledger.Signer.VerifierKey);
            exit.ShouldBe(1, output);
            output.ShouldContain("FAILED");
            output.ShouldContain($"sequence {target.Sequence}");
        }
        finally
        {
            File.Delete(file);
        }

        // A later bundle carries the proof that it extends the earlier checkpoint, and the verifier checks it.
        await RecordSomeEventsAsync(1);
        await SequenceAllAsync();
        var later = await CheckpointAsync();
        var extended = await (await _regulator.Http.GetAsync($"/api/ledger/bundle?treeSize={later.TreeSize}&previous={checkpoint.TreeSize}")).Content.ReadAsStringAsync();
        var extendedReport = BundleVerifier.Verify(LedgerBundle.Parse(extended), Ledger.Signer.VerifierKey);
        extendedReport.Ok.ShouldBeTrue(extendedReport.Message);
        LedgerBundle.Parse(extended).Previous.ShouldNotBeNull().Checkpoint.ShouldBe(checkpoint.Note);

        // Developers do not get the whole record.
        var developer = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        await (await developer.Http.GetAsync("/api/ledger/bundle")).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    private static Task<(int Exit, string Output)> RunVerifierAsync(string bundleFile, string key) =>
        Programs.RunAsync("dotnet", RunnerProcess.BuiltProgram("Ai4h.Audit.Verify"), bundleFile, "--key", key);
}
