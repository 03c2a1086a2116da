using TabularRL.Engine.Model;

namespace TabularRL.Theory.Rewards;

/// <summary>The transformations that leave the ordering of policies unchanged (THEORY.md section 3).</summary>
public static class RewardTransformations
{
    /// <summary>Potential shaping: R'(s,a,s') = R(s,a,s') + gamma Phi(s') - Phi(s); every J shifts by -E_mu0 Phi.</summary>
    /// <param name="reward">R.</param>
    /// <param name="potential">[S] Phi.</param>
    /// <param name="discount">gamma of the model the ordering refers to.</param>
    public static TransitionReward Shaped(TransitionReward reward, ReadOnlySpan<double> potential, double discount)
        => reward.Plus(ShapingTerm(reward.StateCount, reward.ActionCount, potential, discount));

    /// <summary>The shaping term gamma Phi(s') - Phi(s) alone, a member of N.</summary>
    public static TransitionReward ShapingTerm(int stateCount, int actionCount, ReadOnlySpan<double> potential, double discount)
    {
        if (potential.Length != stateCount)
            throw new ArgumentException($"potential has {potential.Length} values, expected S = {stateCount}", nameof(potential));
        var phi = potential.ToArray();
        return TransitionReward.Create(stateCount, actionCount, (s, _, next) => discount * phi[next] - phi[s]);
    }

    /// <summary>
    /// An S'-redistribution of 0 made from any <paramref name="source"/>: D(s,a,s') = X(s,a,s') - E_{tau(s,a)} X(s,a,.),
    /// so that E_{tau(s,a)} D = 0 for every (s,a); impossible transitions change too. A member of N.
    /// </summary>
    /// <param name="mdp">The model whose transitions define the expectation.</param>
    /// <param name="source">X, any reward-shaped array.</param>
    public static TransitionReward RedistributionTerm(Mdp mdp, TransitionReward source)
    {
        var expected = source.Expected(mdp);
        int S = source.StateCount, A = source.ActionCount;
        return TransitionReward.Create(S, A, (s, a, next) => source[s, a, next] - expected[s * A + a]);
    }

    /// <summary>R plus the S'-redistribution of 0 made from <paramref name="source"/>: the same rbar, so the same J for every policy.</summary>
    public static TransitionReward Redistributed(Mdp mdp, TransitionReward reward, TransitionReward source)
        => reward.Plus(RedistributionTerm(mdp, source));
}
