namespace Ai4h.Audit.Bench;

/// <summary>One line of the result table. <paramref name="Passed"/> is null when the run's sizes differ from the goal's.</summary>
public sealed record Figure(string Name, string Goal, string Measured, string Ratio, bool? Passed)
{
    public string Result => Passed switch { true => "pass", false => "FAIL", null => "n/a" };
}
