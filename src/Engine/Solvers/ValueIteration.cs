using TabularRL.Engine.Model;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>Value iteration with Jacobi updates, V_{k+1} = T V_k, stopped on a certified bound.</summary>
/// <remarks>
/// T is a gamma-contraction in the sup norm, so ||V_k - V*|| &lt;= gamma/(1-gamma) ||V_k - V_{k-1}|| (THEORY.md
/// section 1); the loop stops when that bound reaches the tolerance. The result's Q is the lookahead of the returned
/// V_k and the policy is greedy on it. Finite-horizon models are solved exactly by <see cref="BackwardInduction"/>.
/// </remarks>
public static class ValueIteration
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
        var next = new double[mdp.StateCount];
        double change = double.PositiveInfinity, bound = double.PositiveInfinity;
        int k = 0;
        while (k < options.MaxIterations && !(bound <= options.Tolerance))
        {
            change = backend.HardBackup(problem, v, Memory<double>.Empty, next, Memory<int>.Empty);
            k++;
            NumericalException.ThrowIfNonFinite(change, next, "value iteration", k);
            (v, next) = (next, v);
            bound = factor * change;
            options.Progress?.Report(new SolverProgress(k, bound));
        }
        return Lookahead.GreedyResult("value-iteration", backend, problem, v, k, change, bound, bound <= options.Tolerance);
    }
}
