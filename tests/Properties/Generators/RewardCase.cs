using TabularRL.Engine.Model;
using TabularRL.Theory.Rewards;

namespace TabularRL.Tests.Generators;

/// <summary>The reward-comparison view of a <see cref="ShapingCase"/>: the model, R, a second reward, and members of N.</summary>
internal sealed class RewardCase
{
    public RewardCase(ShapingCase c)
    {
        var m = c.Model;
        Mdp = m.Build();
        int S = m.StateCount, A = m.ActionCount;
        Reward = new TransitionReward(S, A, (double[])m.Rewards.Clone());
        Other = new TransitionReward(S, A, (double[])c.Redistribution.Clone());
        Shaping = RewardTransformations.ShapingTerm(S, A, c.Potential, m.Discount);
        Redistribution = RewardTransformations.RedistributionTerm(Mdp, Other);
        Policy = TabularRL.Engine.Model.Policy.FromProbabilities(c.Policy, 1, S, A);
    }

    public Mdp Mdp { get; }

    /// <summary>R, the model's [S,A,S] reward.</summary>
    public TransitionReward Reward { get; }

    /// <summary>A second, independent reward (the case's raw redistribution draw).</summary>
    public TransitionReward Other { get; }

    /// <summary>gamma Phi(s') - Phi(s), in N.</summary>
    public TransitionReward Shaping { get; }

    /// <summary>An S'-redistribution of 0 made from <see cref="Other"/>, in N; it changes impossible transitions too.</summary>
    public TransitionReward Redistribution { get; }

    /// <summary>Shaping plus redistribution: a generic member of N.</summary>
    public TransitionReward NullTerm => Shaping.Plus(Redistribution);

    /// <summary>The case's policy, for VAL.</summary>
    public Policy Policy { get; }

    /// <summary>max |R| over the triples, at least 1: the scale of rounding in R's canonical forms.</summary>
    public double Scale => Math.Max(1, Math.Max(MaxAbs(Reward), Math.Max(MaxAbs(Other), MaxAbs(NullTerm))));

    /// <summary>A model with two states, one action, gamma 0.9 and the given [2*2] transition rows (zero rewards).</summary>
    public static Mdp TwoStatesOneAction(double[] transitions) => new MdpBuilder
    {
        StateCount = 2,
        ActionCount = 1,
        Discount = 0.9,
        DenseTransitions = transitions,
        DenseTransitionsShape = [2, 1, 2],
        Rewards = [0.0, 0.0],
        RewardsShape = [2, 1],
    }.Build();

    public static double MaxAbs(TransitionReward r)
    {
        double max = 0;
        foreach (double x in r.Values) max = Math.Max(max, Math.Abs(x));
        return max;
    }

    public static double MaxDifference(TransitionReward x, TransitionReward y) => MaxAbs(x.Minus(y));
}
