using TabularRL.Engine.Model;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Canonicalisation;

/// <summary>
/// EPIC's canonically shaped reward (Gleave et al. 2021; THEORY.md section 3):
/// C(R)(s,a,s') = R(s,a,s') + E[gamma R(s',A,S') - R(s,A,S') - gamma R(S,A,S')], with S, S' ~ D_S and A ~ D_A
/// independent.
/// </summary>
/// <remarks>
/// With u(x) = E_{A~D_A, S'~D_S} R(x,A,S') the expectation is gamma u(s') - u(s) - gamma E_{S~D_S} u(S). It removes
/// potential shaping exactly, whatever the dynamics, but reads R on impossible transitions and does not remove
/// S'-redistribution (claim EPIC-FAILS).
/// </remarks>
public sealed class EpicCanonicalisation : ICanonicalisation
{
    private readonly double _discount;

    /// <summary>EPIC's map for the discount of <paramref name="mdp"/> and <paramref name="coverage"/> (null: uniform).</summary>
    public EpicCanonicalisation(Mdp mdp, CoverageDistributions? coverage = null)
    {
        TheoryModels.RequireDiscounted(mdp);
        _discount = mdp.Discount;
        Coverage = coverage ?? CoverageDistributions.Uniform(mdp.StateCount, mdp.ActionCount);
        Coverage.Validate(mdp.StateCount, mdp.ActionCount);
    }

    /// <summary>D_S and D_A.</summary>
    public CoverageDistributions Coverage { get; }

    /// <inheritdoc/>
    public string Name => "epic";

    /// <inheritdoc/>
    public TransitionReward Apply(TransitionReward reward)
    {
        int S = reward.StateCount, A = reward.ActionCount;
        Coverage.Validate(S, A);
        var dS = Coverage.States;
        var dA = Coverage.Actions;
        var u = new double[S];
        for (int x = 0; x < S; x++)
        {
            double sum = 0;
            for (int a = 0; a < A; a++)
                for (int y = 0; y < S; y++)
                    sum += dA[a] * dS[y] * reward[x, a, y];
            u[x] = sum;
        }
        double mean = 0;
        for (int x = 0; x < S; x++) mean += dS[x] * u[x];
        return TransitionReward.Create(S, A, (s, a, next) => reward[s, a, next] + _discount * u[next] - u[s] - _discount * mean);
    }
}
