using TabularRL.Theory.Data;
using TabularRL.Theory.Linear;

namespace TabularRL.Theory.Dcppo;

/// <summary>What DCPPO estimated and the policy it returns.</summary>
/// <param name="ThetaHD">[H*d] step-1 maximum-likelihood parameters (before normalisation).</param>
/// <param name="Reward">Step 2: normalised Q, V, and the recovered reward.</param>
/// <param name="Plan">Step 3: the pessimistic Q, V and greedy actions.</param>
public sealed record DcppoResult(double[] ThetaHD, RewardEstimate Reward, LinearPlan Plan);

/// <summary>
/// Dynamic-Choice-Pessimistic-Policy-Optimization (Li, Yang and Wang 2023, arXiv 2305.18438; THEORY.md section 5): from
/// episodes of a dynamic-discrete-choice human, (1) fit Q_h by multinomial-logit MLE, (2) recover the reward by Bellman
/// least squares, (3) plan by pessimistic value iteration.
/// </summary>
public static class Dcppo
{
    /// <summary>Runs the three steps on <paramref name="trajectories"/>.</summary>
    /// <param name="problem">What the learner knows.</param>
    /// <param name="trajectories">The human's episodes, each of H steps.</param>
    /// <param name="options">Ridges and beta.</param>
    public static DcppoResult Run(DcppoProblem problem, IReadOnlyList<Trajectory> trajectories, DcppoOptions options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        var theta = ChoiceStage.Fit(problem, trajectories, options.ChoiceRidge);
        var designs = Designs(problem, trajectories, options.BellmanRidge);
        var phi = problem.Features;
        int S = phi.StateCount, A = phi.ActionCount, d = phi.Dimension;
        var rawQ = new double[problem.Horizon * S * A];
        for (int h = 0; h < problem.Horizon; h++) phi.Apply(theta.AsSpan(h * d, d), rawQ.AsSpan(h * S * A, S * A));
        var reward = BellmanRewardRegression.Recover(problem, designs, rawQ);
        var plan = PessimisticValueIteration.Plan(problem, designs, reward.RewardsHSA, options.Beta);
        return new DcppoResult(theta, reward, plan);
    }

    /// <summary>The oracle baseline: step 3 alone, with the same data and beta but the true reward.</summary>
    /// <param name="problem">What the learner knows.</param>
    /// <param name="trajectories">The human's episodes.</param>
    /// <param name="trueRewardHSA">[H*S*A] the true r_h(s,a).</param>
    /// <param name="options">Ridge and beta (the choice ridge is unused).</param>
    public static LinearPlan Oracle(DcppoProblem problem, IReadOnlyList<Trajectory> trajectories, ReadOnlySpan<double> trueRewardHSA, DcppoOptions options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        return PessimisticValueIteration.Plan(problem, Designs(problem, trajectories, options.BellmanRidge), trueRewardHSA, options.Beta);
    }

    /// <summary>[H] Lambda_h of the episodes' steps.</summary>
    public static RidgeDesign[] Designs(DcppoProblem problem, IReadOnlyList<Trajectory> trajectories, double ridge)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var samples = StageSample.ByStage(trajectories, problem.Horizon);
        var designs = new RidgeDesign[problem.Horizon];
        for (int h = 0; h < problem.Horizon; h++) designs[h] = RidgeDesign.Build(problem.Features, samples[h], ridge);
        return designs;
    }
}
