using System.Text;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>When a Runner runs, resumes, skips or gives up an evaluation: the rules behind "exactly one result".</summary>
public sealed class EvaluationDecisionTests
{
    private static readonly RecoveryPolicy Policy = new(TimeSpan.FromSeconds(60), MaxAttempts: 3);
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly RunnerClaim Claim = new("host/42", "1.0", "1.31.1", "host", 256);

    private static Evaluation Requested() => Evaluation.Create(new EvaluationRequested(Guid.NewGuid(), Guid.NewGuid(), new string('a', 64),
        Guid.NewGuid(), 1, Guid.NewGuid(), 2, new string('b', 64), Guid.NewGuid(), null));

    private static Evaluation Running(int attempt) => Requested().Apply(new EvaluationStarted(Guid.Empty, attempt, "other/7", "1.0", "1.31.1", "other", 100, 256, null));

    [Fact]
    public void a_requested_evaluation_is_run_as_attempt_one()
    {
        var run = EvaluationDecisions.Begin(Requested(), Claim.Runner, Now, Now, Policy).ShouldBeOfType<BeginDecision.Run>();
        run.Attempt.ShouldBe(1);
        run.Resumes.ShouldBeNull();
        var started = run.Started(Guid.NewGuid(), Claim, 284);
        (started.Cases, started.Runner, started.BatchSize).ShouldBe((284, "host/42", 256));
    }

    [Fact]
    public void a_finished_evaluation_is_never_run_again()
    {
        var failed = Running(1).Apply(new EvaluationFailed(Guid.Empty, 1, "boom", "other/7"));
        EvaluationDecisions.Begin(failed, Claim.Runner, Now.AddHours(-1), Now, Policy).ShouldBeOfType<BeginDecision.Skip>().Why.ShouldContain("failed");
    }

    [Fact]
    public void a_running_evaluation_whose_runner_still_reports_is_left_alone()
    {
        var skip = EvaluationDecisions.Begin(Running(1), Claim.Runner, Now.AddSeconds(-59), Now, Policy).ShouldBeOfType<BeginDecision.Skip>();
        skip.Why.ShouldContain("other/7");
        EvaluationDecisions.NeedsAttention(Running(1), Now.AddSeconds(-59), Now, Policy).ShouldBeFalse();
    }

    [Fact]
    public void a_silent_running_evaluation_is_taken_over_by_the_next_attempt_which_says_why()
    {
        EvaluationDecisions.NeedsAttention(Running(1), Now.AddSeconds(-60), Now, Policy).ShouldBeTrue();
        var run = EvaluationDecisions.Begin(Running(1), Claim.Runner, Now.AddSeconds(-61), Now, Policy).ShouldBeOfType<BeginDecision.Run>();
        run.Attempt.ShouldBe(2);
        run.Resumes.ShouldNotBeNull().ShouldContain("attempt 1 on other/7 stopped reporting");
    }

    [Fact]
    public void after_the_last_allowed_attempt_goes_silent_the_evaluation_fails_with_the_reason()
    {
        var giveUp = EvaluationDecisions.Begin(Running(3), Claim.Runner, Now.AddMinutes(-5), Now, Policy).ShouldBeOfType<BeginDecision.GiveUp>();
        giveUp.Failed.Attempt.ShouldBe(3);
        giveUp.Failed.Reason.ShouldContain("interrupted 3 times");
    }

    [Fact]
    public void a_request_is_refused_while_another_evaluation_of_the_submission_is_unfinished_or_the_data_failed_verification()
    {
        var definition = BenchmarkDefinitionWith(new string('b', 64));
        var data = new DatasetVersionInfo(2, new string('b', 64), 10, "t.csv", "text/csv", 3, [], null, VerificationStatus.Verified);
        var submission = new Domain.Submissions.Submission(Guid.NewGuid(), null!, 1, new string('a', 64), 10, "m.onnx", null!, Guid.NewGuid(), null);

        var ok = EvaluationDecisions.Request(Guid.NewGuid(), submission, new BenchmarkVersion(1, definition, null), Guid.NewGuid(), data, [], Guid.NewGuid(), " why ");
        ok.Reason.ShouldBe("why");
        ok.DatasetSha256.ShouldBe(data.Sha256);

        Should.Throw<DecisionRejected>(() => EvaluationDecisions.Request(Guid.NewGuid(), submission, new BenchmarkVersion(1, definition, null),
            Guid.NewGuid(), data, [Running(1)], Guid.NewGuid(), null)).Kind.ShouldBe(RejectionKind.Conflict);
        Should.Throw<DecisionRejected>(() => EvaluationDecisions.Request(Guid.NewGuid(), submission, new BenchmarkVersion(1, definition, null),
            Guid.NewGuid(), data with { Verification = VerificationStatus.Failed, VerificationProblem = "altered" }, [], Guid.NewGuid(), null))
            .Rule.ShouldContain("altered");
        Should.Throw<DecisionRejected>(() => EvaluationDecisions.Request(Guid.NewGuid(), submission, new BenchmarkVersion(1, definition, null),
            Guid.NewGuid(), data with { Sha256 = new string('c', 64) }, [], Guid.NewGuid(), null)).Rule.ShouldContain("pins test data");
    }

    [Fact]
    public void test_cases_are_read_in_the_benchmarks_feature_order_and_a_bad_value_names_its_row_and_column()
    {
        var definition = BenchmarkDefinitionWith("x") with { FeatureColumns = ["b", "a"], SubgroupColumns = ["site"] };
        var cases = TestCases.Read(definition, Encoding.UTF8.GetBytes("id,a,b,site,y\nc1,1.5,2,north,1\nc2,3,true,south,0\n"));
        cases.CaseIds.ShouldBe(["c1", "c2"]);
        cases.Labels.ShouldBe(["1", "0"]);
        cases.Features.ShouldBe([2f, 1.5f, 1f, 3f]);
        cases.SubgroupValues["site"].ShouldBe(["north", "south"]);

        Should.Throw<CsvRejected>(() => TestCases.Read(definition, Encoding.UTF8.GetBytes("id,a,b,site,y\nc1,1,oops,n,1\n")))
            .Rule.ShouldBe("row 1, column 'b': 'oops' is not a finite number");
    }

    private static BenchmarkDefinition BenchmarkDefinitionWith(string sha) => new("n", "t", TaskType.BinaryClassification, Guid.NewGuid(), 2, sha,
        "id", "y", ["a"], [], "1", 0.5, ["auroc"], new ConfidenceIntervalSpec(IntervalMethod.Wilson, 0.95, null, null), [], false);
}
