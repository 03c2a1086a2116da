using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Claims;

/// <summary>J_R(pi) = mu0 . V^pi_R and related figures, by exact evaluation.</summary>
internal static class Objectives
{
    /// <summary>J_R(pi).</summary>
    public static double Of(Mdp mdp, TransitionReward reward, Policy policy, IBellmanBackend backend)
        => PolicyEvaluation.Evaluate(mdp.WithExpectedRewards(reward.Expected(mdp)), policy, backend).Objective;

    /// <summary>max |rbar| / (1 - gamma), at least 1: the scale of values, for relative errors.</summary>
    public static double ValueScale(Mdp mdp, TransitionReward reward)
        => Math.Max(1, reward.Expected(mdp).Max(Math.Abs) / (1 - mdp.Discount));

    /// <summary>max |rbar| / (1 - gamma) of the model's own rewards, at least 1.</summary>
    public static double ValueScale(Mdp mdp) => Math.Max(1, mdp.ExpectedRewards.ToArray().Max(Math.Abs) / (1 - mdp.Discount));

    /// <summary>max |R| over all triples, at least 1.</summary>
    public static double RewardScale(TransitionReward reward)
    {
        double max = 1;
        foreach (double x in reward.Values) max = Math.Max(max, Math.Abs(x));
        return max;
    }

    /// <summary>E_mu0 Phi.</summary>
    public static double InitialMean(Mdp mdp, double[] potential)
    {
        double sum = 0;
        for (int s = 0; s < mdp.StateCount; s++) sum += mdp.InitialDistribution[s] * potential[s];
        return sum;
    }

    /// <summary>The optimal deterministic policy for <paramref name="reward"/> (exact policy iteration, ties to the lowest action).</summary>
    public static Policy OptimalPolicy(Mdp mdp, TransitionReward reward, IBellmanBackend backend)
    {
        var solved = PolicyIteration.Solve(mdp.WithExpectedRewards(reward.Expected(mdp)), new PolicyIterationOptions(), backend);
        return Policy.FromActions(solved.Actions, 1, mdp.StateCount, mdp.ActionCount);
    }

    /// <summary>[S*A*S] eta(s,a,s') = d(s) pi(a|s) tau(s'|s,a), the discounted occupancy of transitions.</summary>
    public static double[] TransitionOccupancy(Mdp mdp, Policy policy, IBellmanBackend backend)
    {
        var occupancy = OccupancyMeasure.Compute(mdp, policy, backend).StateActionOccupancy;
        int S = mdp.StateCount;
        var eta = new double[occupancy.Length * S];
        var pointers = mdp.RowPointers;
        for (int row = 0; row < occupancy.Length; row++)
            for (long k = pointers[row]; k < pointers[row + 1]; k++)
                eta[(long)row * S + mdp.Columns[(int)k]] = occupancy[row] * mdp.Probabilities[(int)k];
        return eta;
    }
}
