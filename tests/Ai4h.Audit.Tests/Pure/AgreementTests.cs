using Ai4h.Audit.Domain.Annotations;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>κ statistics checked against published worked examples, to 3 decimal places (the precision published).</summary>
public sealed class AgreementTests
{
    [Fact]
    public void cohen_matches_the_worked_example()
    {
        // Wikipedia, "Cohen's kappa", section "Simple example" (50 grant proposals, two readers):
        // both yes 20, A yes/B no 5, A no/B yes 10, both no 15 → p_o = 0.7, p_e = 0.5, κ = 0.4.
        var pairs = Enumerable.Repeat(("yes", "yes"), 20).Concat(Enumerable.Repeat(("yes", "no"), 5))
            .Concat(Enumerable.Repeat(("no", "yes"), 10)).Concat(Enumerable.Repeat(("no", "no"), 15)).ToList();

        Agreement.Cohen(pairs, ["yes", "no"])!.Value.ShouldBe(0.4, 1e-12);
        // With two classes, each class-vs-rest table is the table itself.
        Agreement.CohenForClass(pairs, "yes")!.Value.ShouldBe(0.4, 1e-12);
        Agreement.CohenForClass(pairs, "no")!.Value.ShouldBe(0.4, 1e-12);
    }

    [Fact]
    public void fleiss_matches_the_worked_example()
    {
        // Fleiss (1971), as worked in Wikipedia, "Fleiss' kappa", section "Worked example":
        // 10 subjects, 14 raters, 5 categories → P̄ = 0.378, P̄e = 0.213, κ = 0.210.
        int[][] counts =
        [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ];
        var (kappa, observed, perClass) = Agreement.Fleiss(counts);
        observed.ShouldBe(0.378, 0.0005);
        kappa!.Value.ShouldBe(0.210, 0.0005);
        perClass.Length.ShouldBe(5);
    }

    [Fact]
    public void fleiss_per_class_equals_overall_for_two_classes_and_perfect_agreement_is_one()
    {
        int[][] twoClasses = [[3, 0], [2, 1], [0, 3], [1, 2], [3, 0], [0, 3]];
        var (kappa, _, perClass) = Agreement.Fleiss(twoClasses);
        perClass[0]!.Value.ShouldBe(kappa!.Value, 1e-12);
        perClass[1]!.Value.ShouldBe(kappa.Value, 1e-12);

        Agreement.Fleiss([[3, 0], [0, 3], [3, 0]]).Kappa!.Value.ShouldBe(1.0, 1e-12);
    }

    [Fact]
    public void fleiss_with_two_readers_agrees_with_scotts_pi_computed_by_hand()
    {
        // With two readers Fleiss' κ is Scott's π (Fleiss 1971), computed here by hand:
        // 8 cases: 6 agreements → p_o = 0.75; class totals 8 and 8 of 16 → p_e = 0.5; π = 0.5.
        int[][] counts = [[2, 0], [0, 2], [2, 0], [0, 2], [1, 1], [0, 2], [2, 0], [1, 1]];
        Agreement.Fleiss(counts).Kappa!.Value.ShouldBe(0.5, 1e-12);
    }

    [Fact]
    public void uneven_numbers_of_ratings_are_refused()
    {
        Should.Throw<ArgumentException>(() => Agreement.Fleiss([[2, 0], [1, 0]]));
    }
}
