using Ai4h.Audit.Domain.Evaluations;

namespace Ai4h.Audit.Runner;

/// <summary>How the Runner works (configuration section <c>Ai4h:Runner</c>; environment <c>Ai4h__Runner__BatchSize</c> etc.).</summary>
public sealed class RunnerSettings
{
    public const string Section = "Ai4h:Runner";

    /// <summary>Cases per ONNX Runtime call.</summary>
    public int BatchSize { get; set; } = 1024;

    /// <summary>Threads ONNX Runtime may use inside a batch; 0 lets it use every core.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>How often a running evaluation records its progress; this is also its heartbeat.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long an evaluation may go without a recorded report before another attempt takes over (its Runner is
    /// taken to be dead). Must be well above <see cref="ProgressInterval"/>.
    /// </summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts before an evaluation that keeps getting interrupted is recorded as failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Longest a model may take to score the test set; beyond it the evaluation fails with that reason.</summary>
    public TimeSpan EvaluationTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often each Runner looks for evaluations that are waiting or have gone silent.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    public RecoveryPolicy Recovery => new(StallAfter, MaxAttempts);
}
