using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Canonicalisation;

/// <summary>V^pi, Q^pi and A^pi of any reward on one model for one fixed policy: what c_VAL and its variant read.</summary>
internal sealed class FixedPolicyValues
{
    private readonly Mdp _mdp;
    private readonly Policy _policy;
    private readonly IBellmanBackend _backend;

    /// <summary>Values on <paramref name="mdp"/> under <paramref name="policy"/> (null: uniform).</summary>
    public FixedPolicyValues(Mdp mdp, IBellmanBackend backend, Policy? policy)
    {
        TheoryModels.RequireDiscounted(mdp);
        _mdp = mdp;
        _backend = backend;
        _policy = policy ?? Policy.Uniform(mdp.StateCount, mdp.ActionCount);
        _policy.CheckFits(mdp);
    }

    /// <summary>The model's discount.</summary>
    public double Discount => _mdp.Discount;

    /// <summary>Exact evaluation of the policy under <paramref name="reward"/> (<see cref="PolicyEvaluation"/>: dense LU up to 256 states).</summary>
    public EvaluationResult Of(TransitionReward reward)
        => PolicyEvaluation.Evaluate(_mdp.WithExpectedRewards(reward.Expected(_mdp)), _policy, _backend);
}
