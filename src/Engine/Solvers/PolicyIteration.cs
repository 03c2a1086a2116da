using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers.Linear;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>Howard's policy iteration with exact policy evaluation, ending on an exactly optimal policy.</summary>
/// <remarks>
/// Evaluation solves (I - gamma P_pi) V = r_pi to machine precision (dense LU for small S, BiCGSTAB with iterative
/// refinement otherwise, warm-started from the previous policy's values). Improvement switches a state's action
/// only when another action beats it by more than the tie tolerance, so the loop cannot cycle on rounding noise and
/// stops on a policy that is greedy for its own values. The error bound is the certificate
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
        double[]? v = null;
        bool stable = false;
        int k = 0;
        while (k < options.MaxIterations && !stable)
        {
            v = Evaluate(backend, problem, actions, options.DirectSolveMaxStates, v);
            k++;
            var q = Lookahead.Q(backend, problem, v);
            stable = Improve(q, A, actions, out int switched);
            options.Progress?.Report(new SolverProgress(k, switched));
        }
        double residual = BellmanResidual(backend, problem, v!);
        return Lookahead.GreedyResult("policy-iteration", backend, problem, v!, k, residual, residual / (1 - mdp.Discount), stable);
    }

    internal static double[] Evaluate(IBellmanBackend backend, in BellmanProblem problem, int[] actions, int directMaxStates, double[]? guess)
    {
        var (matrix, rewardS) = PolicyMatrix.Build(problem, Greedy.OneHot(actions, problem.ActionCount));
        var solution = PolicySystem.Solve(backend, matrix, problem.Discount, rewardS, directMaxStates, guess);
        if (!double.IsFinite(solution.Residual))
            throw new NumericalException("policy iteration: the policy evaluation produced non-finite values");
        return solution.X;
    }

    // Switches an action only on a strict improvement beyond the tie width, to the lowest such best action.
    private static bool Improve(ReadOnlySpan<double> qSA, int A, int[] actions, out int switched)
    {
        switched = 0;
        for (int s = 0; s < actions.Length; s++)
        {
            var q = qSA.Slice(s * A, A);
            double max = double.NegativeInfinity;
            foreach (double x in q) max = Math.Max(max, x);
            double threshold = max - Greedy.TieTolerance(max);
            if (q[actions[s]] >= threshold) continue;
            int a = 0;
            while (!(q[a] >= threshold)) a++;
            actions[s] = a;
            switched++;
        }
        return switched == 0;
    }

    private static double BellmanResidual(IBellmanBackend backend, in BellmanProblem problem, double[] v)
    {
        var tv = new double[v.Length];
        return backend.HardBackup(problem, v, Memory<double>.Empty, tv, Memory<int>.Empty);
    }
}
