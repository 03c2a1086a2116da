using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Behaviour;

/// <summary>The Boltzmann-rational model with inverse temperature beta (THEORY.md section 4): b(R)(a|s) proportional to exp(beta Q*_R(s,a)).</summary>
/// <remarks>Q* is the hard optimal Q (exact policy iteration), not a soft one; the softmax subtracts the row maximum.</remarks>
public sealed class BoltzmannBehaviour : IBehaviourModel
{
    private readonly Mdp _mdp;
    private readonly IBellmanBackend _backend;

    /// <summary>The model on <paramref name="mdp"/> with inverse temperature <paramref name="beta"/> &gt; 0.</summary>
    public BoltzmannBehaviour(Mdp mdp, double beta, IBellmanBackend backend)
    {
        if (!(beta > 0) || !double.IsFinite(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "the inverse temperature must be finite and > 0");
        TheoryModels.RequireDiscounted(mdp);
        _mdp = mdp;
        _backend = backend;
        Beta = beta;
    }

    /// <summary>beta.</summary>
    public double Beta { get; }

    /// <inheritdoc/>
    public string Name => "boltzmann";

    /// <inheritdoc/>
    public Policy Act(TransitionReward reward)
    {
        var q = OptimalQ.Of(_mdp, reward, _backend);
        return Policy.FromProbabilities(Softmax.Rows(q, _mdp.ActionCount, Beta), 1, _mdp.StateCount, _mdp.ActionCount);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// R_inv(s,a,s') = (log pi(a|s) - max_a' log pi(a'|s)) / beta: R_inv &lt;= 0 with maximum 0 in every state, so V* = 0,
    /// Q* = R_inv, and exp(beta Q*) is proportional to pi, for every tau and gamma.
    /// </remarks>
    public TransitionReward Invert(Policy policy)
    {
        policy.CheckFits(_mdp);
        var p = OptimalQ.FullSupport(policy, Name);
        int S = _mdp.StateCount, A = _mdp.ActionCount;
        var reward = new double[S * A];
        for (int s = 0; s < S; s++)
        {
            double top = double.NegativeInfinity;
            for (int a = 0; a < A; a++) top = Math.Max(top, Math.Log(p[s * A + a]));
            for (int a = 0; a < A; a++) reward[s * A + a] = (Math.Log(p[s * A + a]) - top) / Beta;
        }
        return TransitionReward.FromStateAction(S, A, reward);
    }
}
