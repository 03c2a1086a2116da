using TabularRL.Engine.Model;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>Gauss-Seidel value iteration: states updated in order, each using the values already updated in the sweep.</summary>
/// <remarks>
/// The Gauss-Seidel operator is itself a gamma-contraction in the sup norm with fixed point V* (Puterman 1994,
/// section 6.3.3), so the same certificate gamma/(1-gamma) ||V_k - V_{k-1}|| bounds the error of each iterate.
/// </remarks>
public static class GaussSeidelValueIteration
{
    /// <summary>Solves <paramref name="mdp"/> to the tolerance of <paramref name="options"/>.</summary>
    /// <param name="mdp">The model.</param>
    /// <param name="options">Tolerance, iteration limit, progress.</param>
    /// <param name="backend">Where the sweeps run.</param>
    public static SolveResult Solve(Mdp mdp, SolverOptions options, IBellmanBackend backend)
    {
        options.Validate();
        if (mdp.IsFiniteHorizon) return BackwardInduction.Solve(mdp, backend);

        var problem = mdp.ProblemAt(0);
        double factor = Lookahead.ContractionFactor(mdp.Discount);
        var v = new double[mdp.StateCount];
        double change = double.PositiveInfinity, bound = double.PositiveInfinity;
        int k = 0;
        while (k < options.MaxIterations && !(bound <= options.Tolerance))
        {
            change = backend.GaussSeidelSweep(problem, v, Memory<int>.Empty);
            k++;
            NumericalException.ThrowIfNonFinite(change, v, "Gauss-Seidel value iteration", k);
            bound = factor * change;
            options.Progress?.Report(new SolverProgress(k, bound));
        }
        return Lookahead.GreedyResult("gauss-seidel", backend, problem, v, k, change, bound, bound <= options.Tolerance);
    }
}
