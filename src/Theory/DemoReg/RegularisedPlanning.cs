using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;

namespace TabularRL.Theory.DemoReg;

/// <summary>An exactly planned KL-regularised policy and the terms of its objective.</summary>
/// <param name="Policy">[H,S,A] pi_lambda = argmax_pi V^pi(mu0) - lambda KL_traj(pi || pi_ref).</param>
/// <param name="RegularisedValue">mu0 . V_0 of the KL backward induction: the regularised optimum.</param>
/// <param name="Return">V^{pi_lambda}(mu0), the unregularised value, by exact policy evaluation.</param>
/// <param name="Kl">KL_traj(pi_lambda || pi_ref), exact.</param>
public sealed record RegularisedSolution(Policy Policy, double RegularisedValue, double Return, double Kl);

/// <summary>Exact KL-regularised planning towards a reference policy on a known finite-horizon model (THEORY.md sections 2 and 6).</summary>
/// <remarks>
/// Runs the engine's <see cref="KlValueIteration"/>, whose finite-horizon version is the exact backward recursion
/// V_h(s) = lambda log sum_a pi_ref,h(a|s) exp(Q_h(s,a)/lambda), Q_h = r_h + gamma P_h V_{h+1}, V_H = 0. By the Gibbs
/// variational principle its value is max_pi E_pi sum_h gamma^h (r_h - lambda KL(pi_h(s_h) || pi_ref,h(s_h))): the KL
/// term is discounted exactly like the rewards, which is why <see cref="TrajectoryKl"/> weights stage h by gamma^h.
/// </remarks>
public static class RegularisedPlanning
{
    /// <summary>Plans on <paramref name="mdp"/> with coefficient <paramref name="lambda"/> towards <paramref name="reference"/>.</summary>
    /// <param name="mdp">A finite-horizon model.</param>
    /// <param name="reference">pi_ref, [H,S,A] or stationary (e.g. pi_BC).</param>
    /// <param name="lambda">lambda &gt; 0.</param>
    /// <param name="backend">Where the backups run.</param>
    public static RegularisedSolution Solve(Mdp mdp, Policy reference, double lambda, IBellmanBackend backend)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        int H = mdp.Horizon ?? throw new ArgumentException("KL-regularised planning towards pi_BC needs a finite-horizon model (set Horizon)", nameof(mdp));
        ArgumentNullException.ThrowIfNull(reference);
        if (!(lambda > 0) || double.IsInfinity(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "the KL coefficient must be finite and > 0");
        reference.CheckFits(mdp, nameof(reference));
        var result = KlValueIteration.Solve(mdp, new KlValueIterationOptions { Coefficient = lambda, Reference = reference }, backend);
        int S = mdp.StateCount;
        var policy = Policy.FromProbabilities(result.Policy.ToArray(), H, S, mdp.ActionCount, 1e-8, "pi_lambda");
        var mu0 = mdp.InitialDistribution;
        var v0 = result.Values[..S];
        double regularised = 0;
        for (int s = 0; s < S; s++) regularised += mu0[s] * v0[s];
        double value = PolicyEvaluation.Evaluate(mdp, policy, backend).Objective;
        double kl = TrajectoryKl.Compute(mdp, policy, reference);
        if (!double.IsFinite(regularised) || !double.IsFinite(value) || !double.IsFinite(kl))
            throw new NumericalException($"KL-regularised planning: regularised value {regularised}, return {value}, KL {kl} (lambda {lambda})");
        return new RegularisedSolution(policy, regularised, value, kl);
    }
}
