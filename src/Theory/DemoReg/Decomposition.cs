using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;

namespace TabularRL.Theory.DemoReg;

/// <summary>Every term of V* - V^{pi_hat} &lt;= eps_E + eps_RL + lambda KL_traj(pi_E || pi_BC), computed exactly.</summary>
/// <param name="Optimal">V*(mu0).</param>
/// <param name="ExpertValue">V^{pi_E}(mu0).</param>
/// <param name="ExpertGap">eps_E = V* - V^{pi_E} &gt;= 0.</param>
/// <param name="PlanningGap">eps_RL: how far pi_hat is from the regularised optimum in regularised value (0 for exact planning).</param>
/// <param name="Lambda">lambda.</param>
/// <param name="ExpertKl">KL_traj(pi_E || pi_BC).</param>
/// <param name="PolicyValue">V^{pi_hat}(mu0).</param>
public sealed record DecompositionTerms(double Optimal, double ExpertValue, double ExpertGap, double PlanningGap, double Lambda, double ExpertKl, double PolicyValue)
{
    /// <summary>V* - V^{pi_hat}.</summary>
    public double Suboptimality => Optimal - PolicyValue;

    /// <summary>eps_E + eps_RL + lambda KL_traj.</summary>
    public double Bound => ExpertGap + PlanningGap + Lambda * ExpertKl;

    /// <summary>Bound - Suboptimality: the claim says it is &gt;= 0.</summary>
    public double Slack => Bound - Suboptimality;
}

/// <summary>The decomposition of THEORY.md section 6 (Tiapkin et al. 2023, the argument behind their Theorem on demonstration-regularised BPI).</summary>
/// <remarks>
/// With J_lambda(pi) = V^pi(mu0) - lambda KL_traj(pi || pi_BC): V* &lt;= V^{pi_E} + eps_E = J_lambda(pi_E) + lambda KL_traj(pi_E || pi_BC) + eps_E
/// &lt;= J_lambda* + lambda KL_traj + eps_E &lt;= J_lambda(pi_hat) + eps_RL + lambda KL_traj + eps_E &lt;= V^{pi_hat} + eps_RL + lambda KL_traj + eps_E,
/// the last step because KL &gt;= 0. Discounted finite-horizon models weight stage h by gamma^h in the KL (see <see cref="TrajectoryKl"/>).
/// </remarks>
public static class Decomposition
{
    /// <summary>The terms for an exactly planned pi_lambda (eps_RL = 0).</summary>
    /// <param name="mdp">A finite-horizon model (its rewards are the true ones).</param>
    /// <param name="expert">pi_E.</param>
    /// <param name="clone">pi_BC.</param>
    /// <param name="lambda">lambda &gt; 0.</param>
    /// <param name="backend">Where the solves run.</param>
    public static DecompositionTerms ForExactPlanning(Mdp mdp, Policy expert, Policy clone, double lambda, IBellmanBackend backend)
    {
        var planned = RegularisedPlanning.Solve(mdp, clone, lambda, backend);
        return Terms(mdp, expert, clone, lambda, 0, planned.Return, backend);
    }

    /// <summary>The terms for any policy pi_hat whose regularised gap eps_RL is known (e.g. measured for the online algorithm).</summary>
    /// <param name="mdp">A finite-horizon model.</param>
    /// <param name="expert">pi_E.</param>
    /// <param name="clone">pi_BC.</param>
    /// <param name="lambda">lambda &gt; 0.</param>
    /// <param name="planningGap">eps_RL &gt;= 0.</param>
    /// <param name="policy">pi_hat.</param>
    /// <param name="backend">Where the solves run.</param>
    public static DecompositionTerms ForPolicy(Mdp mdp, Policy expert, Policy clone, double lambda, double planningGap, Policy policy, IBellmanBackend backend)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!(planningGap >= 0)) throw new ArgumentOutOfRangeException(nameof(planningGap), planningGap, "eps_RL must be >= 0");
        return Terms(mdp, expert, clone, lambda, planningGap, PolicyEvaluation.Evaluate(mdp, policy, backend).Objective, backend);
    }

    /// <summary>The true regularised gap J_lambda* - J_lambda(<paramref name="policy"/>) on the known model, exact.</summary>
    /// <param name="mdp">A finite-horizon model.</param>
    /// <param name="reference">pi_ref.</param>
    /// <param name="lambda">lambda &gt; 0.</param>
    /// <param name="policy">The policy assessed.</param>
    /// <param name="backend">Where the solves run.</param>
    public static double RegularisedGap(Mdp mdp, Policy reference, double lambda, Policy policy, IBellmanBackend backend)
    {
        var optimum = RegularisedPlanning.Solve(mdp, reference, lambda, backend);
        double value = PolicyEvaluation.Evaluate(mdp, policy, backend).Objective;
        double kl = TrajectoryKl.Compute(mdp, policy, reference);
        return optimum.RegularisedValue - (value - lambda * kl);
    }

    private static DecompositionTerms Terms(Mdp mdp, Policy expert, Policy clone, double lambda, double planningGap, double policyValue, IBellmanBackend backend)
    {
        ArgumentNullException.ThrowIfNull(expert);
        ArgumentNullException.ThrowIfNull(clone);
        double optimal = DemoRegInstances.OptimalValue(mdp, backend);
        double expertValue = PolicyEvaluation.Evaluate(mdp, expert, backend).Objective;
        double kl = TrajectoryKl.Compute(mdp, expert, clone);
        return new DecompositionTerms(optimal, expertValue, Math.Max(0, optimal - expertValue), planningGap, lambda, kl, policyValue);
    }
}
