using TabularRL.Engine.Model;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Canonicalisation;

/// <summary>
/// DARD's dynamics-aware canonicalisation (Wulfe et al. 2022; THEORY.md section 3):
/// C(R)(s,a,s') = R(s,a,s') + E[gamma R(s',A,S'') - R(s,A,S') - gamma R(S',A,S'')], with A ~ D_A,
/// S' ~ tau(s,A), S'' ~ tau(s',A), the same A throughout.
/// </summary>
/// <remarks>
/// The expectation is gamma g(s') - g(s) - gamma h(s,s') with g(x) = E_{A~D_A} rbar(x,A) and
/// h(s,s') = sum_a D_A(a) sum_{x,y} tau(x|s,a) tau(y|s',a) R(x,a,y). It reads R where the dynamics can reach, but
/// it does not remove S'-redistribution either (claim EPIC-FAILS).
/// </remarks>
public sealed class DardCanonicalisation : ICanonicalisation
{
    private readonly Mdp _mdp;

    /// <summary>DARD's map on <paramref name="mdp"/> with <paramref name="coverage"/>'s D_A (null: uniform).</summary>
    public DardCanonicalisation(Mdp mdp, CoverageDistributions? coverage = null)
    {
        TheoryModels.RequireDiscounted(mdp);
        _mdp = mdp;
        Coverage = coverage ?? CoverageDistributions.Uniform(mdp.StateCount, mdp.ActionCount);
        Coverage.Validate(mdp.StateCount, mdp.ActionCount);
    }

    /// <summary>D_S (used only by the Pearson distance's coverage) and D_A.</summary>
    public CoverageDistributions Coverage { get; }

    /// <inheritdoc/>
    public string Name => "dard";

    /// <inheritdoc/>
    public TransitionReward Apply(TransitionReward reward)
    {
        reward.RequireFits(_mdp);
        int S = reward.StateCount, A = reward.ActionCount;
        double gamma = _mdp.Discount;
        var dA = Coverage.Actions;
        var expected = reward.Expected(_mdp);
        var g = new double[S];
        for (int x = 0; x < S; x++)
            for (int a = 0; a < A; a++)
                g[x] += dA[a] * expected[x * A + a];
        var h = new double[S * S];
        var pointers = _mdp.RowPointers;
        var columns = _mdp.Columns;
        var probabilities = _mdp.Probabilities;
        var inner = new double[S * S];
        for (int a = 0; a < A; a++)
        {
            if (dA[a] == 0) continue;
            // inner(x, s') = sum_y R(x,a,y) tau(y|s',a); then h(s,s') += D_A(a) sum_x tau(x|s,a) inner(x,s').
            for (int x = 0; x < S; x++)
                for (int next = 0; next < S; next++)
                {
                    int row = next * A + a;
                    double sum = 0;
                    for (long k = pointers[row]; k < pointers[row + 1]; k++)
                        sum += probabilities[(int)k] * reward[x, a, columns[(int)k]];
                    inner[x * S + next] = sum;
                }
            for (int s = 0; s < S; s++)
            {
                int row = s * A + a;
                for (long k = pointers[row]; k < pointers[row + 1]; k++)
                {
                    double weight = dA[a] * probabilities[(int)k];
                    int x = columns[(int)k];
                    for (int next = 0; next < S; next++)
                        h[s * S + next] += weight * inner[x * S + next];
                }
            }
        }
        return TransitionReward.Create(S, A, (s, a, next) => reward[s, a, next] + gamma * g[next] - g[s] - gamma * h[s * S + next]);
    }
}
