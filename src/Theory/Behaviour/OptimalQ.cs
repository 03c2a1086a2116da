using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Behaviour;

/// <summary>Q*_R of a reward on a model, by exact policy iteration: what the optimal and Boltzmann models read.</summary>
internal static class OptimalQ
{
    /// <summary>[S*A] Q*(s,a) for <paramref name="reward"/> on <paramref name="mdp"/>.</summary>
    public static double[] Of(Mdp mdp, TransitionReward reward, IBellmanBackend backend)
    {
        reward.RequireFits(mdp);
        var solved = PolicyIteration.Solve(mdp.WithExpectedRewards(reward.Expected(mdp)), new PolicyIterationOptions(), backend);
        return solved.QValues.ToArray();
    }

    /// <summary>The policy's [S*A] probabilities, checked to have every entry &gt; 0 (what inversion by log pi needs).</summary>
    public static double[] FullSupport(Policy policy, string model)
    {
        var p = policy.Probabilities;
        for (int i = 0; i < p.Length; i++)
            if (!(p[i] > 0))
                throw new ArgumentException($"policy: pi(a={i % policy.ActionCount} | s={i / policy.ActionCount}) = {p[i]}; the {model} model gives every action positive probability, so only full-support policies can be inverted");
        return p.ToArray();
    }
}
