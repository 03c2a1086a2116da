using TabularRL.Engine.Model;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>Modified policy iteration (Puterman and Shin 1978; Puterman 1994, section 6.5).</summary>
/// <remarks>
/// Each step computes u = T v with its greedy policy pi, then applies T_pi to u m-1 more times (m = EvaluationSweeps).
/// Starting from the constant v0 = min r / (1-gamma), for which T v0 &gt;= v0, the iterates increase monotonically to
/// V* (Puterman Theorem 6.5.5). The certificate is that of any v: ||T v - V*|| &lt;= gamma/(1-gamma) ||T v - v||,
/// so the loop returns u = T v once that bound meets the tolerance.
/// </remarks>
public static class ModifiedPolicyIteration
{
    /// <summary>Solves <paramref name="mdp"/> to the tolerance of <paramref name="options"/>.</summary>
    /// <param name="mdp">The model.</param>
    /// <param name="options">Tolerance, iteration limit (improvement steps), evaluation sweeps, progress.</param>
    /// <param name="backend">Where the sweeps run.</param>
    public static SolveResult Solve(Mdp mdp, ModifiedPolicyIterationOptions options, IBellmanBackend backend)
    {
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.EvaluationSweeps, 1, nameof(options.EvaluationSweeps));
        if (mdp.IsFiniteHorizon) return BackwardInduction.Solve(mdp, backend);

        var problem = mdp.ProblemAt(0);
        double factor = Lookahead.ContractionFactor(mdp.Discount);
        double minReward = double.PositiveInfinity;
        foreach (double r in mdp.ExpectedRewards) minReward = Math.Min(minReward, r);
        var v = new double[mdp.StateCount];
        Array.Fill(v, minReward / (1 - mdp.Discount));
        var u = new double[mdp.StateCount];
        var actions = new int[mdp.StateCount];
        double change = double.PositiveInfinity, bound = double.PositiveInfinity;
        int k = 0;
        while (k < options.MaxIterations)
        {
            change = backend.HardBackup(problem, v, Memory<double>.Empty, u, actions);
            k++;
            NumericalException.ThrowIfNonFinite(change, u, "modified policy iteration", k);
            bound = factor * change;
            options.Progress?.Report(new SolverProgress(k, bound));
            // Stop before the partial evaluation, so that u is the iterate the bound certifies.
            if (bound <= options.Tolerance || k == options.MaxIterations) break;
            for (int j = 1; j < options.EvaluationSweeps; j++)
            {
                double step = backend.DeterministicPolicyBackup(problem, actions, u, v);
                NumericalException.ThrowIfNonFinite(step, v, "modified policy iteration", k);
                (u, v) = (v, u);
            }
            (u, v) = (v, u);
        }
        return Lookahead.GreedyResult("modified-policy-iteration", backend, problem, u, k, change, bound, bound <= options.Tolerance);
    }
}
