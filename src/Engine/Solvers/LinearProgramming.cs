using TabularRL.Engine.Model;
using TabularRL.Engine.Native;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>
/// The linear-programming method (<c>solve --method lp</c>; Puterman 1994, section 6.9): the occupancy LP
/// max &lt;eta, rbar&gt; over { eta &gt;= 0 : sum_a eta(s,a) - gamma sum_{s0,a0} tau(s|s0,a0) eta(s0,a0) = 1/S }, whose row
/// duals are V*, solved by GLPK's primal simplex method.
/// </summary>
/// <remarks>
/// The weights 1/S make every state's dual V*(s). On a garnet with S = 2000, A = 4, K = 5 (<c>tabrl generate garnet
/// --states 2000 --actions 4 --branching 5 --seed 2 --out g.npz; time tabrl solve g.npz --method lp</c>) this form took
/// 17-18 s. A variant of this class that built the LP over V instead (S*A inequality rows; not kept) took 21 s with
/// GLPK's dual simplex, 3 min 51 s with the primal one, and 82 s with the dual simplex after GLPK's presolver. The LP method is an exact reference for small models,
/// not the fast path (pi and mpi are). A simplex solution is exact only up to GLPK's feasibility tolerances (about
/// 1e-7 relative), so the result does not stop there: the policy greedy for the LP's values is evaluated exactly (as
/// policy iteration does) and the returned values are that evaluation; the error bound is the certificate
/// ||T V - V|| / (1 - gamma) of those values, and the result is converged when the policy is greedy for its own
/// values (residual within 1e-9 of the value scale).
/// </remarks>
public static class LinearProgramming
{
    /// <summary>Solves an infinite-horizon <paramref name="mdp"/> by linear programming.</summary>
    /// <exception cref="ArgumentException">The model has a horizon (finite-horizon models are solved by backward induction).</exception>
    public static SolveResult Solve(Mdp mdp, IBellmanBackend backend)
    {
        if (mdp.IsFiniteHorizon)
            throw new ArgumentException("lp: finite-horizon models are solved exactly by backward induction (use vi, gs, pi or mpi)");
        int S = mdp.StateCount, A = mdp.ActionCount;
        double gamma = mdp.Discount;
        // The occupancy LP: max sum rbar(s,a) eta(s,a) subject to, for every state s,
        // sum_a eta(s,a) - gamma sum_{s0,a0} tau(s|s0,a0) eta(s0,a0) = 1/S, eta >= 0. Its row duals are V*.
        var lp = new LinearProgram { Maximise = true };
        var rewards = mdp.ExpectedRewards;
        for (int sa = 0; sa < S * A; sa++) lp.AddColumn(rewards[sa]);
        OccupancyPolytope.AddFlowRows(lp, mdp, 0, Enumerable.Repeat(1.0 / S, S).ToArray());
        var lpValues = lp.Solve().RowDuals;

        var problem = mdp.ProblemAt(0);
        var lpQ = Lookahead.Q(backend, problem, lpValues);
        var actions = new int[S];
        Greedy.Actions(lpQ, A, actions);
        var evaluated = PolicyEvaluation.Evaluate(mdp, Policy.FromActions(actions, 1, S, A), backend);
        var v = evaluated.Values.ToArray();
        var q = Lookahead.Q(backend, problem, v);
        double residual = 0, scale = 1;
        for (int s = 0; s < S; s++)
        {
            double best = double.NegativeInfinity;
            for (int a = 0; a < A; a++) best = Math.Max(best, q[s * A + a]);
            residual = Math.Max(residual, Math.Abs(best - v[s]));
            scale = Math.Max(scale, Math.Abs(v[s]));
        }
        return Lookahead.GreedyResult("linear-programming", problem, v, q, 1, residual, residual / (1 - gamma), residual <= 1e-9 * scale);
    }
}
