using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;

namespace TabularRL.Tests.Engine.Generators;

public class RandomMdpTests
{
    [Fact]
    public void WithoutZerosEveryTransitionIsPossible()
    {
        var mdp = RandomMdp.Create(new RandomMdpOptions { States = 12, Actions = 3, Seed = 1 });

        Assert.Equal(12L * 3 * 12, mdp.NonZeroCount);
        ModelAssert.WellFormed(mdp);
        Assert.False(mdp.HasTransitionRewards);
        Assert.Equal(0.9, mdp.Discount);
    }

    [Fact]
    public void ZeroFractionRemovesThatShareOfEntries()
    {
        const int states = 60, actions = 5;
        var mdp = RandomMdp.Create(new RandomMdpOptions { States = states, Actions = actions, ZeroFraction = 0.7, Seed = 2 });

        ModelAssert.WellFormed(mdp);
        double kept = mdp.NonZeroCount / (double)(states * actions * states);
        // 18000 Bernoulli(0.3) entries: standard deviation about 0.0034.
        Assert.InRange(kept, 0.28, 0.32);
    }

    [Fact]
    public void EveryRowKeepsAPossibleSuccessor()
    {
        var mdp = RandomMdp.Create(new RandomMdpOptions { States = 20, Actions = 4, ZeroFraction = 1, Seed = 3 });

        ModelAssert.WellFormed(mdp);
        for (int row = 0; row < 80; row++)
            Assert.Equal(1, mdp.RowPointers[row + 1] - mdp.RowPointers[row]);
        // The forced successors are spread over the states, not always the same one.
        Assert.True(mdp.Columns.ToArray().Distinct().Count() > 5);
    }

    [Fact]
    public void NextStateRewardsAreStandardNormal()
    {
        const int states = 30, actions = 10;
        var mdp = RandomMdp.Create(new RandomMdpOptions { States = states, Actions = actions, RewardsDependOnNextState = true, Seed = 4 });

        Assert.True(mdp.HasTransitionRewards);
        var r = mdp.TransitionRewards.ToArray();
        Assert.Equal(states * actions * states, r.Length);
        double mean = r.Average();
        double variance = r.Select(x => (x - mean) * (x - mean)).Average();
        // 9000 draws: the mean's standard error is about 0.011, the variance's about 0.015.
        Assert.InRange(mean, -0.06, 0.06);
        Assert.InRange(variance, 0.92, 1.08);
    }

    [Fact]
    public void SameSeedGivesIdenticalArraysAndAnotherSeedDoesNot()
    {
        var options = new RandomMdpOptions { States = 15, Actions = 3, ZeroFraction = 0.4, RewardsDependOnNextState = true, Seed = 9 };

        var first = RandomMdp.Create(options);
        ModelAssert.Identical(first, RandomMdp.Create(options));

        var other = RandomMdp.Create(options with { Seed = 10 });
        Assert.False(first.Probabilities.SequenceEqual(other.Probabilities));
        Assert.False(first.TransitionRewards.SequenceEqual(other.TransitionRewards));
    }

    [Theory]
    [InlineData(0, 2, 0.0, "States")]
    [InlineData(3, 0, 0.0, "Actions")]
    [InlineData(3, 2, 1.5, "ZeroFraction")]
    [InlineData(100_000, 2, 0.0, "States")]
    public void InvalidOptionsAreRejected(int states, int actions, double zeroFraction, string parameter)
    {
        var options = new RandomMdpOptions { States = states, Actions = actions, ZeroFraction = zeroFraction };

        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => RandomMdp.Create(options)).ParamName);
    }
}
