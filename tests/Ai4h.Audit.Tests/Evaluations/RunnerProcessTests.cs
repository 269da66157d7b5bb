using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Infrastructure;
using static Ai4h.Audit.Tests.Evaluations.EvaluationTestData;

namespace Ai4h.Audit.Tests.Evaluations;

/// <summary>
/// Runners as separate operating-system processes: killed mid-evaluation, two at once, a model past its time limit.
/// The in-process Runner is paused so that only these processes take work. The slow model makes an evaluation last
/// long enough to be interrupted; short recovery settings make the tests quick.
/// </summary>
public sealed class RunnerProcessTests(ApiFixture fixture) : ApiTest(fixture)
{
    private TestUser _dev = null!;
    private Guid _benchmarkId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _dev = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        _benchmarkId = await DefineHoldOutBenchmark(Steward, new { method = "Wilson", level = 0.95 }, cases: 80);
    }

    private static Dictionary<string, string> Settings(string? timeout = null) => new()
    {
        ["BatchSize"] = "8",
        ["ProgressInterval"] = "00:00:00.300",
        ["StallAfter"] = "00:00:04",
        ["SweepInterval"] = "00:00:01",
        ["EvaluationTimeout"] = timeout ?? "00:05:00",
    };

    private static string RunnerOf(RunnerProcess process) => $"{Environment.MachineName}/{process.Id}";

    [Fact]
    public async Task a_runner_killed_mid_evaluation_is_replaced_and_the_evaluation_completes_exactly_once()
    {
        await using var paused = await Fixture.PauseInProcessRunnerAsync();
        var url = await RequestAsync(_dev, await SubmitAsync(_dev, _benchmarkId, "slow.onnx"));

        await using var first = RunnerProcess.Start(Fixture, Settings());
        // Progress is visible while it runs: some cases scored, not all.
        var running = await WaitFor(_dev, url, e => e["casesDone"]!.GetValue<int>() > 0 || IsFinished(e), 120);
        running["status"]!.GetValue<string>().ShouldBe("Running", first.Log);
        running["casesDone"]!.GetValue<int>().ShouldBeLessThan(running["casesTotal"]!.GetValue<int>());
        running["runner"]!.GetValue<string>().ShouldBe(RunnerOf(first));
        await first.KillAsync();

        await using var second = RunnerProcess.Start(Fixture, Settings());
        var done = await WaitFor(_dev, url, IsFinished, 180);
        done["status"]!.GetValue<string>().ShouldBe("Completed", second.Log);
        done["attempt"]!.GetValue<int>().ShouldBe(2);
        done["runner"]!.GetValue<string>().ShouldBe(RunnerOf(second));

        await Task.Delay(TimeSpan.FromSeconds(3)); // a late duplicate would show up by now
        var history = await History(_dev, url);
        Count(history, "evaluation_completed").ShouldBe(1);
        Count(history, "evaluation_started").ShouldBe(2);
        var resumed = history.Last(e => e!["type"]!.GetValue<string>() == "evaluation_started")!["data"]!;
        resumed["resumes"]!.GetValue<string>().ShouldContain($"attempt 1 on {RunnerOf(first)} stopped reporting");
    }

    [Fact]
    public async Task two_runner_processes_share_the_work_and_no_evaluation_is_processed_twice()
    {
        await using var paused = await Fixture.PauseInProcessRunnerAsync();
        var urls = new List<string>();
        for (var i = 0; i < 3; i++) urls.Add(await RequestAsync(_dev, await SubmitAsync(_dev, _benchmarkId, "slow.onnx", $"1.0.{i}")));

        await using var a = RunnerProcess.Start(Fixture, Settings());
        await using var b = RunnerProcess.Start(Fixture, Settings());
        var runners = new HashSet<string>();
        foreach (var url in urls)
        {
            var done = await WaitFor(_dev, url, IsFinished, 240);
            done["status"]!.GetValue<string>().ShouldBe("Completed", a.Log + b.Log);
            runners.Add(done["runner"]!.GetValue<string>());
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var url in urls)
        {
            var history = await History(_dev, url);
            Count(history, "evaluation_started").ShouldBe(1);
            Count(history, "evaluation_completed").ShouldBe(1);
        }
        runners.ShouldBe(new[] { RunnerOf(a), RunnerOf(b) }, ignoreOrder: true);
    }

    [Fact]
    public async Task a_model_that_runs_past_the_time_limit_fails_with_that_reason_instead_of_hanging()
    {
        await using var paused = await Fixture.PauseInProcessRunnerAsync();
        var url = await RequestAsync(_dev, await SubmitAsync(_dev, _benchmarkId, "slow.onnx"));
        await using var runner = RunnerProcess.Start(Fixture, Settings(timeout: "00:00:01"));

        var done = await WaitFor(_dev, url, IsFinished, 120);
        done["status"]!.GetValue<string>().ShouldBe("Failed", runner.Log);
        done["failureReason"]!.GetValue<string>().ShouldContain("time limit of 1 s");
    }
}
