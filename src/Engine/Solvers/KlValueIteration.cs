using TabularRL.Engine.Model;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>KL-regularised value iteration towards a reference policy (THEORY.md section 2).</summary>
/// <remarks>
/// V(s) = lambda log sum_a pi_ref(a|s) exp(Q(s,a)/lambda) = max_p { &lt;p, Q(s,.)&gt; - lambda KL(p || pi_ref(s)) },
/// attained by pi(a|s) = pi_ref(a|s) exp((Q(s,a) - V(s))/lambda). Actions with pi_ref = 0 get probability 0 and are
/// left out of the log-sum-exp. With a uniform reference V_KL = V_soft - lambda log A.
/// The greedy action is the mode of the returned policy.
/// </remarks>
public static class KlValueIteration
{
    /// <summary>Solves <paramref name="mdp"/> to the tolerance of <paramref name="options"/>.</summary>
    /// <param name="mdp">The model.</param>
    /// <param name="options">Coefficient, reference policy, tolerance, iteration limit, progress.</param>
    /// <param name="backend">Where the sweeps run.</param>
    public static SolveResult Solve(Mdp mdp, KlValueIterationOptions options, IBellmanBackend backend)
    {
        double lambda = options.Coefficient;
        if (!(lambda > 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(options), lambda, "KL coefficient must be finite and > 0");
        var reference = options.Reference ?? Policy.Uniform(mdp.StateCount, mdp.ActionCount);
        reference.CheckFits(mdp, "reference");
        var logReference = LogReference(reference);
        int perStage = mdp.StateCount * mdp.ActionCount;
        ReadOnlyMemory<double> LogAt(int h) => logReference.AsMemory((reference.StageCount == 1 ? 0 : h) * perStage, perStage);

        return RegularisedValueIteration.Solve(mdp, options, backend, "kl-value-iteration",
            (int h, in BellmanProblem p, ReadOnlyMemory<double> v, Memory<double> q, Memory<double> vOut) => backend.KlBackup(p, lambda, LogAt(h), v, q, vOut),
            (h, q, policy, score) => RegularisedValueIteration.Softmax(q, LogAt(h).Span, mdp.ActionCount, lambda, policy, score));
    }

    // log pi_ref, with negative infinity for excluded actions; a row with no support cannot be a reference policy,
    // and Policy validation (rows sum to 1) already rules that out.
    private static double[] LogReference(Policy reference)
    {
        var probabilities = reference.Probabilities;
        var logs = new double[probabilities.Length];
        for (int i = 0; i < logs.Length; i++)
            logs[i] = probabilities[i] > 0 ? Math.Log(probabilities[i]) : double.NegativeInfinity;
        return logs;
    }
}
