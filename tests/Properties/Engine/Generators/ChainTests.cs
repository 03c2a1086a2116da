using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;

namespace TabularRL.Tests.Engine.Generators;

public class ChainTests
{
    [Fact]
    public void TransitionsFollowTheRiverSwimTable()
    {
        var mdp = Chain.Create(new ChainOptions());

        Assert.Equal(6, mdp.StateCount);
        Assert.Equal(2, mdp.ActionCount);
        ModelAssert.WellFormed(mdp);
        Assert.Equal([(0, 1.0)], ModelAssert.Row(mdp, 0, Chain.SwimLeft));
        Assert.Equal([(2, 1.0)], ModelAssert.Row(mdp, 3, Chain.SwimLeft));
        Assert.Equal([(0, 0.4), (1, 0.6)], ModelAssert.Row(mdp, 0, Chain.SwimRight));
        for (int s = 1; s <= 4; s++)
            Assert.Equal([(s - 1, 0.05), (s, 0.6), (s + 1, 0.35)], ModelAssert.Row(mdp, s, Chain.SwimRight));
        Assert.Equal([(4, 0.4), (5, 0.6)], ModelAssert.Row(mdp, 5, Chain.SwimRight));
    }

    [Fact]
    public void RewardsAreTheNormalisedOnesAndTheStartIsStateZero()
    {
        var mdp = Chain.Create(new ChainOptions());

        var expected = new double[12];
        expected[0 * 2 + Chain.SwimLeft] = 0.005;
        expected[5 * 2 + Chain.SwimRight] = 1;
        Assert.Equal(expected, mdp.ExpectedRewards.ToArray());
        Assert.Equal(new double[] { 1, 0, 0, 0, 0, 0 }, mdp.InitialDistribution.ToArray());
        Assert.Equal(0.95, mdp.Discount);
    }

    [Fact]
    public void OtherLengthsAndRewardsAreHonoured()
    {
        var two = Chain.Create(new ChainOptions { States = 2, LeftReward = 5, RightReward = 10_000, Discount = 0.5 });

        ModelAssert.WellFormed(two);
        Assert.Equal([(0, 0.4), (1, 0.6)], ModelAssert.Row(two, 0, Chain.SwimRight));
        Assert.Equal([(0, 0.4), (1, 0.6)], ModelAssert.Row(two, 1, Chain.SwimRight));
        Assert.Equal(new double[] { 5, 0, 0, 10_000 }, two.ExpectedRewards.ToArray());
        ModelAssert.WellFormed(Chain.Create(new ChainOptions { States = 50 }));
    }

    [Fact]
    public void TooShortAChainIsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Chain.Create(new ChainOptions { States = 1 }));

        Assert.Equal("States", e.ParamName);
        Assert.Equal(1, e.ActualValue);
    }
}
