using TabularRL.Engine.Model;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>The loop shared by soft and KL-regularised value iteration; they differ only in the backup and the policy.</summary>
/// <remarks>
/// Both backups are gamma-contractions in the sup norm (log-sum-exp is 1-Lipschitz in the sup norm of its
/// arguments), so the certificate of value iteration applies unchanged. Finite-horizon models run the same backup
/// backwards from V_H = 0.
/// </remarks>
internal static class RegularisedValueIteration
{
    /// <summary>Writes Q (if given) and the new values of one stage; returns the sup-norm change or NaN.</summary>
    public delegate double Backup(int stage, in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS);

    /// <summary>Fills the policy and the greedy score of one stage from its Q.</summary>
    public delegate void PolicyOf(int stage, ReadOnlySpan<double> qSA, Span<double> policySA, Span<double> scoreSA);

    public static SolveResult Solve(Mdp mdp, SolverOptions options, IBellmanBackend backend, string method, Backup backup, PolicyOf policyOf)
    {
        options.Validate();
        return mdp.IsFiniteHorizon
            ? SolveFinite(mdp, backend, method, backup, policyOf)
            : SolveDiscounted(mdp, options, backend, method, backup, policyOf);
    }

    private static SolveResult SolveDiscounted(Mdp mdp, SolverOptions options, IBellmanBackend backend, string method, Backup backup, PolicyOf policyOf)
    {
        int S = mdp.StateCount, A = mdp.ActionCount;
        var problem = mdp.ProblemAt(0);
        double factor = Lookahead.ContractionFactor(mdp.Discount);
        var v = new double[S];
        var next = new double[S];
        double change = double.PositiveInfinity, bound = double.PositiveInfinity;
        int k = 0;
        while (k < options.MaxIterations && !(bound <= options.Tolerance))
        {
            change = backup(0, problem, v, Memory<double>.Empty, next);
            k++;
            NumericalException.ThrowIfNonFinite(change, next, method, k);
            (v, next) = (next, v);
            bound = factor * change;
            options.Progress?.Report(new SolverProgress(k, bound));
        }
        var q = Lookahead.Q(backend, problem, v);
        var (policy, actions) = Policy(0, q, S, A, policyOf);
        return new SolveResult(method, S, A, null, v, q, policy, actions, k, change, bound, bound <= options.Tolerance);
    }

    private static SolveResult SolveFinite(Mdp mdp, IBellmanBackend backend, string method, Backup backup, PolicyOf policyOf)
    {
        int H = mdp.Horizon!.Value, S = mdp.StateCount, A = mdp.ActionCount;
        var values = new double[(H + 1) * S];
        var qValues = new double[H * S * A];
        var policy = new double[H * S * A];
        var actions = new int[H * S];
        for (int h = H - 1; h >= 0; h--)
        {
            var vOut = values.AsMemory(h * S, S);
            var q = qValues.AsMemory(h * S * A, S * A);
            double change = backup(h, mdp.ProblemAt(h), values.AsMemory((h + 1) * S, S), q, vOut);
            NumericalException.ThrowIfNonFinite(change, vOut.Span, method, H - h, h);
            var (stagePolicy, stageActions) = Policy(h, q.Span, S, A, policyOf);
            stagePolicy.CopyTo(policy, h * S * A);
            stageActions.CopyTo(actions, h * S);
        }
        return new SolveResult(method.Replace("value-iteration", "backward-induction"), S, A, H, values[..(H * S)], qValues,
            policy, actions, H, 0, 0, true);
    }

    private static (double[] Policy, int[] Actions) Policy(int stage, ReadOnlySpan<double> qSA, int S, int A, PolicyOf policyOf)
    {
        var policy = new double[S * A];
        var score = new double[S * A];
        policyOf(stage, qSA, policy, score);
        var actions = new int[S];
        Greedy.Actions(score, A, actions);
        return (policy, actions);
    }

    /// <summary>Row-wise w(a) exp((q(a) - m)/t) / sum, with m the largest q of positive weight: the regularised policy.</summary>
    /// <param name="qSA">[S*A] Q.</param>
    /// <param name="logWeightsSA">[S*A] log reference weights (negative infinity excluded), or empty for uniform.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="t">Temperature or KL coefficient.</param>
    /// <param name="policySA">[S*A] output probabilities.</param>
    /// <param name="scoreSA">[S*A] output t log w + q (negative infinity off the support): its argmax is the mode of the policy.</param>
    public static void Softmax(ReadOnlySpan<double> qSA, ReadOnlySpan<double> logWeightsSA, int actionCount, double t, Span<double> policySA, Span<double> scoreSA)
    {
        for (int s = 0; s < qSA.Length / actionCount; s++)
        {
            int row = s * actionCount;
            double m = double.NegativeInfinity;
            for (int a = 0; a < actionCount; a++)
            {
                double logW = logWeightsSA.IsEmpty ? 0 : logWeightsSA[row + a];
                scoreSA[row + a] = logW > double.NegativeInfinity ? t * logW + qSA[row + a] : double.NegativeInfinity;
                if (logW > double.NegativeInfinity) m = Math.Max(m, qSA[row + a]);
            }
            double sum = 0;
            for (int a = 0; a < actionCount; a++)
            {
                double logW = logWeightsSA.IsEmpty ? 0 : logWeightsSA[row + a];
                double p = logW > double.NegativeInfinity ? Math.Exp(logW + (qSA[row + a] - m) / t) : 0;
                policySA[row + a] = p;
                sum += p;
            }
            for (int a = 0; a < actionCount; a++)
                policySA[row + a] /= sum;
        }
    }
}
