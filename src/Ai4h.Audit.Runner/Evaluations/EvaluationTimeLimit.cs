using Ai4h.Audit.Domain.Evaluations;
using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine.Configuration;
using Wolverine.Runtime.Handlers;

namespace Ai4h.Audit.Runner.Evaluations;

/// <summary>
/// Wolverine cancels a handler after a minute by default; an evaluation has its own, longer limit
/// (<see cref="RunnerSettings.EvaluationTimeout"/>), after which it records a failure itself. Wolverine's limit is set
/// beyond it so that the Runner, not the framework, decides and says why.
/// </summary>
public sealed class EvaluationTimeLimit(TimeSpan limit) : IHandlerPolicy
{
    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.MessageType == typeof(RunEvaluation)))
            chain.ExecutionTimeoutInSeconds = (int)Math.Ceiling(limit.TotalSeconds);
    }
}
