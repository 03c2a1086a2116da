using TabularRL.Engine.Model;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>Soft (maximum-entropy) value iteration with temperature alpha (THEORY.md section 2).</summary>
/// <remarks>
/// V(s) = alpha log sum_a exp(Q(s,a)/alpha) and pi(a|s) = exp((Q(s,a) - V(s))/alpha), with the maximum subtracted
/// inside the log-sum-exp so that every alpha down to 1e-8 is stable; alpha -&gt; 0 recovers the hard maximum
/// (the gap is at most alpha log A per backup). Finite-horizon models run soft backward induction.
/// </remarks>
public static class SoftValueIteration
{
    /// <summary>Solves <paramref name="mdp"/> to the tolerance of <paramref name="options"/>.</summary>
    /// <param name="mdp">The model.</param>
    /// <param name="options">Temperature, tolerance, iteration limit, progress.</param>
    /// <param name="backend">Where the sweeps run.</param>
    public static SolveResult Solve(Mdp mdp, SoftValueIterationOptions options, IBellmanBackend backend)
    {
        double t = options.Temperature;
        if (!(t > 0) || double.IsInfinity(t))
            throw new ArgumentOutOfRangeException(nameof(options), t, "temperature must be finite and > 0");
        return RegularisedValueIteration.Solve(mdp, options, backend, "soft-value-iteration",
            (int _, in BellmanProblem p, ReadOnlyMemory<double> v, Memory<double> q, Memory<double> vOut) => backend.SoftBackup(p, t, v, q, vOut),
            (_, q, policy, score) => RegularisedValueIteration.Softmax(q, ReadOnlySpan<double>.Empty, mdp.ActionCount, t, policy, score));
    }
}
