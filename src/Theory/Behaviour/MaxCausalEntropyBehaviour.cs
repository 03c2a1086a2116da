using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Behaviour;

/// <summary>The maximal causal entropy model with temperature alpha (THEORY.md sections 2 and 4): the soft-optimal policy.</summary>
/// <remarks>
/// Soft value iteration runs until its certified error is below 1e-12 of the value scale max(1, max|rbar| / (1 - gamma)),
/// so that the policy, exp((Q - V)/alpha), is accurate to about 1e-12 / alpha of that scale.
/// </remarks>
public sealed class MaxCausalEntropyBehaviour : IBehaviourModel
{
    private readonly Mdp _mdp;
    private readonly IBellmanBackend _backend;

    /// <summary>The model on <paramref name="mdp"/> with temperature <paramref name="alpha"/> &gt; 0.</summary>
    public MaxCausalEntropyBehaviour(Mdp mdp, double alpha, IBellmanBackend backend)
    {
        if (!(alpha > 0) || !double.IsFinite(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "the temperature must be finite and > 0");
        TheoryModels.RequireDiscounted(mdp);
        _mdp = mdp;
        _backend = backend;
        Alpha = alpha;
    }

    /// <summary>alpha.</summary>
    public double Alpha { get; }

    /// <inheritdoc/>
    public string Name => "mce";

    /// <inheritdoc/>
    public Policy Act(TransitionReward reward)
    {
        reward.RequireFits(_mdp);
        var expected = reward.Expected(_mdp);
        double scale = Math.Max(1, (expected.Max(Math.Abs) + Alpha * Math.Log(_mdp.ActionCount)) / (1 - _mdp.Discount));
        var options = new SoftValueIterationOptions { Temperature = Alpha, Tolerance = 1e-12 * scale };
        var solved = SoftValueIteration.Solve(_mdp.WithExpectedRewards(expected), options, _backend);
        if (!solved.Converged)
            throw new NumericalException($"maximal causal entropy model: soft value iteration stopped at bound {solved.ErrorBound} after {solved.Iterations} sweeps");
        return Policy.FromProbabilities(solved.Policy.ToArray(), 1, _mdp.StateCount, _mdp.ActionCount);
    }

    /// <inheritdoc/>
    /// <remarks>R(s,a,s') = alpha log pi(a|s): soft V = 0 solves the soft Bellman equation, so Q = R and exp((Q - V)/alpha) = pi.</remarks>
    public TransitionReward Invert(Policy policy)
    {
        policy.CheckFits(_mdp);
        var p = OptimalQ.FullSupport(policy, Name);
        return TransitionReward.FromStateAction(_mdp.StateCount, _mdp.ActionCount, p.Select(x => Alpha * Math.Log(x)).ToArray());
    }
}
