using FsCheck;
using FsCheck.Fluent;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Regret;
using TabularRL.Theory.Rewards;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// STARC-LOWER (THEORY.md section 8): worst-case regret WCR(R1, R2), normalised by J1's range over policies, is at least
/// L d(R1, R2) for a positive L (Skalse et al. 2024, STARC, Theorem 2). Here: WCR from the LP equals the exact optimum
/// found by enumerating the vertices of its feasible set on tiny models, and is positive whenever d &gt; 0.
/// </summary>
/// <remarks>
/// The LP maximises a linear function over the product of two occupancy polytopes cut by one half-space, so its optimum is
/// a vertex of the product (a pair of deterministic policies) that satisfies the cut, or a point where the cut crosses an
/// edge of the product: one policy deterministic, the other on an edge between two deterministic policies that differ in
/// one state. Along such an edge both J1 and J2 are affine in the occupancy, so the crossing is found in closed form.
/// </remarks>
public sealed class StarcLowerProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(1);

    [Fact]
    public void WorstCaseRegret_TinyModels_EqualsVertexEnumerationAndIsPositiveWhenDistanceIs()
    {
        var models = from S in Gen.Choose(1, 3)
                     from A in Gen.Choose(2, 3)
                     from gamma in ModelGenerators.Uniform(0.3, 0.95)
                     from transitions in ModelGenerators.TransitionRows(S * A, S)
                     from first in Gen.ArrayOf(ModelGenerators.Uniform(-5, 5), S * A * S)
                     from second in Gen.ArrayOf(ModelGenerators.Uniform(-5, 5), S * A * S)
                     select (S, A, gamma, transitions, first, second);
        PropertyCheck.Run(models.ToArbitrary(), draw =>
        {
            var (S, A, gamma, transitions, first, second) = draw;
            var mdp = Theory.Claims.ClaimInstances.Build(S, A, gamma, transitions);
            var r1 = new TransitionReward(S, A, first);
            var r2 = new TransitionReward(S, A, second);
            double wcr = WorstCaseRegret.Compute(mdp, r1, r2);
            double exact = Enumerated(mdp, r1.Expected(mdp), r2.Expected(mdp));
            double scale = Math.Max(1, 5 / (1 - gamma));
            Assert.InRange(wcr - exact, -1e-7 * scale, 1e-7 * scale);
            double d = new StarcMetric(new MinimalCanonicalisation(mdp), RewardNorm.L2).Distance(r1, r2);
            if (d > 1e-6) Assert.True(wcr > 0, $"d = {d} but WCR = {wcr}");
        }, 60);
    }

    private static double Enumerated(Mdp mdp, double[] r1, double[] r2)
    {
        int S = mdp.StateCount, A = mdp.ActionCount;
        var policies = Deterministic(S, A).ToList();
        var j1 = policies.Select(p => J(mdp, r1, p)).ToArray();
        var j2 = policies.Select(p => J(mdp, r2, p)).ToArray();
        double best = double.NegativeInfinity;
        for (int x = 0; x < policies.Count; x++)
            for (int y = 0; y < policies.Count; y++)
            {
                if (j2[y] >= j2[x] - 1e-12) best = Math.Max(best, j1[x] - j1[y]);
                // Edges: one side moves between policies x and z that differ in one state, the other stays at y.
                for (int z = 0; z < policies.Count; z++)
                {
                    if (Differences(policies[x], policies[z]) != 1) continue;
                    // pi1 on the edge x-z against pi2 = y: J is affine in the occupancy, t in [0, 1].
                    best = Math.Max(best, EdgeOptimum(j1[x], j1[z], j2[x], j2[z], j1[y], j2[y], firstMoves: true));
                    best = Math.Max(best, EdgeOptimum(j1[x], j1[z], j2[x], j2[z], j1[y], j2[y], firstMoves: false));
                }
            }
        return best;
    }

    // Maximises the objective along an edge with the other policy fixed at (j1Fixed, j2Fixed), subject to J2(pi2) >= J2(pi1).
    private static double EdgeOptimum(double j1A, double j1B, double j2A, double j2B, double j1Fixed, double j2Fixed, bool firstMoves)
    {
        double best = double.NegativeInfinity;
        // The cut crosses where the moving point's J2 equals the fixed one's.
        if (Math.Abs(j2B - j2A) < 1e-15) return best;
        double t = (j2Fixed - j2A) / (j2B - j2A);
        if (t < 0 || t > 1) return best;
        double j1Moving = j1A + t * (j1B - j1A);
        return firstMoves ? j1Moving - j1Fixed : j1Fixed - j1Moving;
    }

    private static int Differences(int[] x, int[] y) => x.Zip(y).Count(p => p.First != p.Second);

    private static IEnumerable<int[]> Deterministic(int S, int A)
    {
        int total = (int)Math.Pow(A, S);
        for (int code = 0; code < total; code++)
        {
            var actions = new int[S];
            for (int s = 0, c = code; s < S; s++, c /= A) actions[s] = c % A;
            yield return actions;
        }
    }

    private static double J(Mdp mdp, double[] rewards, int[] actions)
        => PolicyEvaluation.Evaluate(mdp.WithExpectedRewards(rewards), Policy.FromActions(actions, 1, mdp.StateCount, mdp.ActionCount), Backend).Objective;
}
