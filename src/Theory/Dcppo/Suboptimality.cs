using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;

namespace TabularRL.Theory.Dcppo;

/// <summary>The exact suboptimality V*(mu0) - V^pi(mu0) of a policy under a model's true reward.</summary>
public sealed class Suboptimality
{
    private readonly Mdp _mdp;
    private readonly IBellmanBackend _backend;

    /// <summary>Solves <paramref name="mdp"/> once by backward induction, so that many policies can be scored.</summary>
    /// <param name="mdp">A finite-horizon model with the true reward (e.g. <see cref="Linear.LinearMdp.ToTabular"/>).</param>
    /// <param name="backend">Where the backups run.</param>
    public Suboptimality(Mdp mdp, IBellmanBackend backend)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        ArgumentNullException.ThrowIfNull(backend);
        if (!mdp.IsFiniteHorizon) throw new ArgumentException("suboptimality here is for episodic models", nameof(mdp));
        _mdp = mdp;
        _backend = backend;
        var optimal = BackwardInduction.Solve(mdp, backend);
        double total = 0;
        for (int s = 0; s < mdp.StateCount; s++) total += mdp.InitialDistribution[s] * optimal.Values[s];
        OptimalValue = total;
        OptimalActions = optimal.Actions.ToArray();
    }

    /// <summary>V*(mu0) = mu0 . V*_0.</summary>
    public double OptimalValue { get; }

    /// <summary>[H*S] an optimal policy's actions (the expert).</summary>
    public IReadOnlyList<int> OptimalActions { get; }

    /// <summary>V*(mu0) - V^pi(mu0) by exact policy evaluation; never negative beyond rounding.</summary>
    public double Of(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return OptimalValue - PolicyEvaluation.Evaluate(_mdp, policy, _backend).Objective;
    }
}
