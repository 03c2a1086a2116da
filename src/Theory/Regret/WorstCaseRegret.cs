using TabularRL.Engine.Model;
using TabularRL.Engine.Native;
using TabularRL.Engine.Solvers;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Regret;

/// <summary>
/// Worst-case regret (THEORY.md section 3): WCR(R1, R2) = max { J1(pi1) - J1(pi2) : J2(pi2) &gt;= J2(pi1) }, the most R1 can
/// lose by following R2's preference between two policies, as one linear program over two copies of the occupancy
/// polytope { eta &gt;= 0 : sum_a eta(s,a) - gamma sum_{s0,a0} tau(s|s0,a0) eta(s0,a0) = mu0(s) }, solved by GLPK.
/// </summary>
/// <remarks>
/// Every policy's J is &lt;eta, rbar&gt; for its occupancy eta, and every point of the polytope is the occupancy of a
/// (stochastic) policy, so the LP ranges over all pairs of policies. Its objective is &lt;eta1 - eta2, rbar1&gt; and its
/// one coupling row &lt;eta2 - eta1, rbar2&gt; &gt;= 0.
/// </remarks>
public static class WorstCaseRegret
{
    /// <summary>WCR(R1, R2) on <paramref name="mdp"/>.</summary>
    public static double Compute(Mdp mdp, TransitionReward first, TransitionReward second)
    {
        first.RequireFits(mdp);
        second.RequireFits(mdp);
        int S = mdp.StateCount, A = mdp.ActionCount, n = S * A;
        var r1 = first.Expected(mdp);
        var r2 = second.Expected(mdp);
        var lp = new LinearProgram { Maximise = true };
        for (int copy = 0; copy < 2; copy++)
            for (int sa = 0; sa < n; sa++)
                lp.AddColumn(copy == 0 ? r1[sa] : -r1[sa]);
        for (int copy = 0; copy < 2; copy++)
            OccupancyPolytope.AddFlowRows(lp, mdp, copy * n, mdp.InitialDistribution);
        // J2(pi2) - J2(pi1) >= 0.
        lp.AddRow(0, double.PositiveInfinity, Enumerable.Range(0, n).SelectMany(sa => new[] { (sa, -r2[sa]), (n + sa, r2[sa]) }));
        return Math.Max(0, lp.Solve().Objective);
    }
}
