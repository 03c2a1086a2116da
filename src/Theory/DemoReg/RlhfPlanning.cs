using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Theory.Data;

namespace TabularRL.Theory.DemoReg;

/// <summary>The RLHF variant's output.</summary>
/// <param name="RewardHSA">[H*S*A] the Bradley-Terry estimate of the rewards.</param>
/// <param name="Policy">pi_RLHF, KL-regularised optimal for the estimated rewards towards pi_BC.</param>
/// <param name="Suboptimality">V*(mu0) - V^{pi_RLHF}(mu0) under the model's true rewards.</param>
public sealed record RlhfResult(double[] RewardHSA, Policy Policy, double Suboptimality);

/// <summary>Demonstration-regularised RLHF (THEORY.md section 6): reward by Bradley-Terry MLE, then KL-regularised planning
/// towards pi_BC on the known dynamics, with no pessimism (the KL term stands in for it, as Tiapkin et al. 2023 argue).</summary>
public static class RlhfPlanning
{
    /// <summary>Fits the reward on <paramref name="preferences"/> and plans with it.</summary>
    /// <param name="mdp">A finite-horizon model: its dynamics are used to plan, its own rewards only to score the result.</param>
    /// <param name="preferences">Labelled pairs of episodes.</param>
    /// <param name="clone">pi_BC.</param>
    /// <param name="lambda">lambda &gt; 0.</param>
    /// <param name="ridge">Ridge of the reward MLE, &gt; 0.</param>
    /// <param name="backend">Where the solves run.</param>
    public static RlhfResult Solve(Mdp mdp, IReadOnlyList<Preference> preferences, Policy clone, double lambda, double ridge, IBellmanBackend backend)
    {
        var model = DenseStages.Of(mdp);
        var rewardHSA = PreferenceReward.Fit(preferences, model.Horizon, model.StateCount, model.ActionCount, ridge);
        var planned = RegularisedPlanning.Solve(mdp.WithExpectedRewards(rewardHSA), clone, lambda, backend);
        double best = DemoRegInstances.OptimalValue(mdp, backend);
        double value = PolicyEvaluation.Evaluate(mdp, planned.Policy, backend).Objective;
        return new RlhfResult(rewardHSA, planned.Policy, best - value);
    }
}
