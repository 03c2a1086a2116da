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
        // One system, one reward vector and one Q buffer for all steps: the run's memory is the model plus O(S A).
        var system = new PolicySystem(S);
        var operatorPi = new DeterministicPolicyOperator(backend, problem, actions);
        var rewardS = new double[S];
        var qSA = new double[S * A];
        var scratchS = new double[S];
        double[] v = [];
        bool stable = false;
        int k = 0;
        while (k < options.MaxIterations && !stable)
        {
            var rewards = problem.RewardsSA.Span;
            for (int s = 0; s < S; s++) rewardS[s] = rewards[s * A + actions[s]];
            var solution = system.Solve(operatorPi, problem.Discount, rewardS, v, options.DirectSolveMaxStates);
            if (!double.IsFinite(solution.Residual))
                throw new NumericalException("policy iteration: the policy evaluation produced non-finite values");
            v = solution.X;
            double evaluationBound = solution.Residual / (1 - problem.Discount);
            k++;
            backend.HardBackup(problem, v, qSA, scratchS, Memory<int>.Empty);
            stable = Improve(qSA, A, actions, 2 * mdp.Discount * evaluationBound, out int switched);
            options.Progress?.Report(new SolverProgress(k, switched));
        }
        // qSA is the lookahead of the final v, so the residual and the result need no further sweep.
        double residual = BellmanResidual(qSA, v, A);
        return Lookahead.GreedyResult("policy-iteration", problem, v, qSA, k, residual, residual / (1 - mdp.Discount), stable);
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
