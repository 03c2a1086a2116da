using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers.Linear;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>Howard's policy iteration with exact policy evaluation, ending on an exactly optimal policy.</summary>
/// <remarks>
/// Evaluation solves (I - gamma P_pi) V = r_pi to machine precision (dense LU for small S, BiCGSTAB with iterative
/// refinement otherwise, warm-started from the previous policy's values). Improvement switches a state's action
/// only when another action beats it by more than the evaluation noise (twice gamma times the certified evaluation
/// error, plus 1e-13 relative for the rounding of Q), so the loop cannot cycle on rounding noise, and stops on a
/// policy that is greedy for its own values up to that noise. The error bound is the certificate
/// ||V - V*|| &lt;= ||T V - V|| / (1-gamma) of the returned values: rounding level, not a literal 0.
/// <see cref="SolverOptions.Tolerance"/> is not used; <see cref="SolverOptions.MaxIterations"/> limits improvement steps.
/// </remarks>
public static class PolicyIteration
{
    /// <summary>Solves <paramref name="mdp"/> exactly.</summary>
    /// <param name="mdp">The model.</param>
    /// <param name="options">Iteration limit, direct-solve size, progress.</param>
    /// <param name="backend">Where the sweeps and products run.</param>
    public static SolveResult Solve(Mdp mdp, PolicyIterationOptions options, IBellmanBackend backend)
    {
        options.Validate();
        if (mdp.IsFiniteHorizon) return BackwardInduction.Solve(mdp, backend);

        int S = mdp.StateCount, A = mdp.ActionCount;
        var problem = mdp.ProblemAt(0);
        var actions = new int[S];
        Greedy.Actions(mdp.ExpectedRewards, A, actions);
        double[]? v = null, q = null;
        bool stable = false;
        int k = 0;
        while (k < options.MaxIterations && !stable)
        {
            (v, double evaluationBound) = Evaluate(backend, problem, actions, options.DirectSolveMaxStates, v);
            k++;
            q = Lookahead.Q(backend, problem, v);
            stable = Improve(q, A, actions, 2 * mdp.Discount * evaluationBound, out int switched);
            options.Progress?.Report(new SolverProgress(k, switched));
        }
        // q is the lookahead of the final v, so the residual and the result need no further sweep.
        double residual = BellmanResidual(q!, v!, A);
        return Lookahead.GreedyResult("policy-iteration", problem, v!, q!, k, residual, residual / (1 - mdp.Discount), stable);
    }

    // The values of a deterministic policy and the certified sup-norm bound on their error.
    private static (double[] Values, double Bound) Evaluate(IBellmanBackend backend, in BellmanProblem problem, int[] actions, int directMaxStates, double[]? guess)
    {
        var (matrix, rewardS) = PolicyMatrix.Build(problem, Greedy.OneHot(actions, problem.ActionCount));
        var solution = PolicySystem.Solve(backend, matrix, problem.Discount, rewardS, directMaxStates, guess);
        if (!double.IsFinite(solution.Residual))
            throw new NumericalException("policy iteration: the policy evaluation produced non-finite values");
        return (solution.X, solution.Residual / (1 - problem.Discount));
    }

    // Switches an action only on an improvement beyond the noise of the evaluated Q, to the lowest action within that
    // noise of the maximum; a gain smaller than the noise cannot be told from rounding and would let the loop cycle.
    private static bool Improve(ReadOnlySpan<double> qSA, int A, int[] actions, double evaluationNoise, out int switched)
    {
        switched = 0;
        for (int s = 0; s < actions.Length; s++)
        {
            var q = qSA.Slice(s * A, A);
            double max = double.NegativeInfinity;
            foreach (double x in q) max = Math.Max(max, x);
            double threshold = max - (evaluationNoise + 1e-13 * Math.Max(1, Math.Abs(max)));
            if (q[actions[s]] >= threshold) continue;
            int a = 0;
            while (!(q[a] >= threshold)) a++;
            actions[s] = a;
            switched++;
        }
        return switched == 0;
    }

    // ||T V - V||_inf with (T V)(s) = max_a Q(s,a).
    private static double BellmanResidual(double[] qSA, double[] vS, int A)
    {
        double residual = 0;
        for (int s = 0; s < vS.Length; s++)
        {
            double max = double.NegativeInfinity;
            for (int a = 0; a < A; a++) max = Math.Max(max, qSA[s * A + a]);
            residual = Math.Max(residual, Math.Abs(max - vS[s]));
        }
        return residual;
    }
}
