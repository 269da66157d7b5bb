using Ai4h.Audit.Domain.Evaluations;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>DeLong's AUROC on evaluation sizes beyond the reference fixtures (found by bench/: 1,000,000 cases).</summary>
public sealed class DeLongTests
{
    [Theory]
    [InlineData(50_000)]
    [InlineData(300_000)]
    public void more_than_46340_positive_cases_give_the_right_auroc(int perClass)
    {
        // m·(m+1) no longer fits an int: perfectly separated scores must still give 1, all-tied scores 0.5.
        var positive = Enumerable.Range(0, 2 * perClass).Select(i => i < perClass).ToArray();
        var separated = positive.Select(p => p ? 1.0 : 0.0).ToArray();
        var tied = new double[positive.Length];

        DeLong.Compute(separated, positive)!.Auc.ShouldBe(1.0);
        DeLong.Compute(tied, positive)!.Auc.ShouldBe(0.5);
    }
}
