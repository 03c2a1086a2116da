using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Engine.Model;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Rewards;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// CANON (THEORY.md sections 3 and 8). c_VAL (for any fixed policy) and c_min are canonicalisations: linear,
/// idempotent, zero on N (potential shaping plus S'-redistribution), and c(R) - R lies in N, so c(R1) = c(R2) exactly
/// when R1 - R2 is in N. The variant of c_VAL without the expectation over s' removes shaping but not
/// S'-redistribution, so it is not one. Source: Skalse et al. (2024), STARC, Definition 1 and Propositions 2-3.
/// </summary>
/// <remarks>
/// Tolerance: 1e-10 of the value scale max|R| / (1 - gamma); both maps solve a linear system whose condition grows like
/// 1 / (1 - gamma), so rounding in c(R) is of order eps times that scale times the condition.
/// </remarks>
public sealed class CanonProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    private static double Tolerance(RewardCase c) => 1e-10 * c.Scale / (1 - c.Mdp.Discount);

    private static IEnumerable<ICanonicalisation> Canonicalisations(RewardCase c)
    {
        yield return new ValCanonicalisation(c.Mdp, Backend);
        yield return new ValCanonicalisation(c.Mdp, Backend, c.Policy);
        yield return new MinimalCanonicalisation(c.Mdp);
    }

    [Fact]
    public void Canonicalisations_AnyReward_AreLinear()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            foreach (var canon in Canonicalisations(c))
            {
                var combined = canon.Apply(c.Reward.Combine(c.Other, 2.5, -0.75));
                var separately = canon.Apply(c.Reward).Combine(canon.Apply(c.Other), 2.5, -0.75);
                Assert.True(RewardCase.MaxDifference(combined, separately) <= 4 * Tolerance(c), $"{canon.Name}: not linear");
            }
        });
    }

    [Fact]
    public void Canonicalisations_AnyReward_AreIdempotentAndKillN()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            foreach (var canon in Canonicalisations(c))
            {
                var once = canon.Apply(c.Reward);
                Assert.True(RewardCase.MaxDifference(canon.Apply(once), once) <= Tolerance(c), $"{canon.Name}: c(c(R)) != c(R)");
                Assert.True(RewardCase.MaxAbs(canon.Apply(c.NullTerm)) <= Tolerance(c), $"{canon.Name}: c(shaping + redistribution) != 0");
                var equivalent = c.Reward.Plus(c.NullTerm);
                Assert.True(RewardCase.MaxDifference(canon.Apply(equivalent), once) <= Tolerance(c), $"{canon.Name}: c(R + N-term) != c(R)");
            }
        });
    }

    [Fact]
    public void Canonicalisations_AnyReward_DifferFromTheRewardByAMemberOfN()
    {
        // c(R) - R in N iff c(c(R) - R) = 0 for a map that is zero on N and only on N; checked with the other canonicalisation.
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            var val = new ValCanonicalisation(c.Mdp, Backend);
            var min = new MinimalCanonicalisation(c.Mdp);
            Assert.True(RewardCase.MaxAbs(min.Apply(val.Apply(c.Reward).Minus(c.Reward))) <= Tolerance(c), "c_min(c_VAL(R) - R) != 0");
            Assert.True(RewardCase.MaxAbs(val.Apply(min.Apply(c.Reward).Minus(c.Reward))) <= Tolerance(c), "c_VAL(c_min(R) - R) != 0");
        });
    }

    [Fact]
    public void ValuePotentialVariant_AnyReward_RemovesShaping()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            var variant = new ValuePotentialShaping(c.Mdp, Backend);
            var shaped = c.Reward.Plus(c.Shaping);
            Assert.True(RewardCase.MaxDifference(variant.Apply(shaped), variant.Apply(c.Reward)) <= Tolerance(c));
        });
    }

    [Fact]
    public void ValuePotentialVariant_TwoNextStates_ChangesUnderRedistribution()
    {
        // One state-action pair with two equally likely next states; D = (+1, -1) has expectation 0 (an
        // S'-redistribution of 0), so c_VAL ignores it, but the variant without the expectation keeps it.
        var mdp = RewardCase.TwoStatesOneAction([0.5, 0.5, 0.5, 0.5]);
        var reward = TransitionReward.Create(2, 1, (s, _, next) => s + 2 * next);
        var d = TransitionReward.Create(2, 1, (_, _, next) => next == 0 ? 1 : -1);
        var variant = new ValuePotentialShaping(mdp, Backend);
        var val = new ValCanonicalisation(mdp, Backend);
        Assert.Equal(1.0, RewardCase.MaxDifference(variant.Apply(reward.Plus(d)), variant.Apply(reward)), 12);
        Assert.Equal(0.0, RewardCase.MaxDifference(val.Apply(reward.Plus(d)), val.Apply(reward)), 12);
    }
}
