using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;

namespace TabularRL.Tests.Engine.Generators;

public class GarnetTests
{
    [Theory]
    [InlineData(30, 3, 4, 0)]    // rejection sampling from the whole state space
    [InlineData(10, 2, 8, 1)]    // partial Fisher-Yates (K close to S)
    [InlineData(7, 2, 7, 2)]     // K = S: every state is a successor
    [InlineData(1, 3, 1, 3)]     // a single state
    public void EveryRowHasExactlyKDistinctSortedSuccessorsSummingToOne(int states, int actions, int branching, int seed)
    {
        var mdp = Garnet.Create(new GarnetOptions { States = states, Actions = actions, Branching = branching, Seed = seed });

        Assert.Equal((long)states * actions * branching, mdp.NonZeroCount);
        for (int row = 0; row < states * actions; row++)
            Assert.Equal(branching, mdp.RowPointers[row + 1] - mdp.RowPointers[row]);
        ModelAssert.WellFormed(mdp);
        Assert.Equal(states * actions, mdp.ExpectedRewards.Length);
        foreach (double r in mdp.ExpectedRewards) Assert.True(r >= 0 && r < 1, $"reward {r} outside [0, 1)");
    }

    [Theory]
    [InlineData(60, 10, 5)]  // rejection within a window of 21
    [InlineData(50, 2, 5)]   // the whole window (K = 2W+1) via Fisher-Yates
    [InlineData(20, 4, 6)]   // window of 9 wraps around both ends
    public void LocalSuccessorsStayWithinTheWrappedWindow(int states, int locality, int branching)
    {
        var mdp = Garnet.Create(new GarnetOptions { States = states, Actions = 2, Branching = branching, Locality = locality, Seed = 5 });

        ModelAssert.WellFormed(mdp);
        bool sawWrap = false;
        for (int s = 0; s < states; s++)
        {
            for (int a = 0; a < 2; a++)
            {
                var row = ModelAssert.Row(mdp, s, a);
                Assert.Equal(branching, row.Length);
                foreach (var (next, _) in row)
                {
                    int ringDistance = Math.Min(Math.Abs(next - s), states - Math.Abs(next - s));
                    Assert.True(ringDistance <= locality, $"s={s}, a={a}: successor {next} is {ringDistance} away");
                    sawWrap |= Math.Abs(next - s) > locality;
                }
            }
        }
        Assert.True(sawWrap, "no successor wrapped around the ends of the ring");
    }

    [Fact]
    public void FullWindowGivesExactlyTheNeighbourhoodWithWrapAround()
    {
        var mdp = Garnet.Create(new GarnetOptions { States = 10, Actions = 1, Branching = 5, Locality = 2, Seed = 1 });

        Assert.Equal(new[] { 0, 1, 2, 8, 9 }, ModelAssert.Row(mdp, 0, 0).Select(e => e.Next));
        Assert.Equal(new[] { 0, 1, 7, 8, 9 }, ModelAssert.Row(mdp, 9, 0).Select(e => e.Next));
        Assert.Equal(new[] { 3, 4, 5, 6, 7 }, ModelAssert.Row(mdp, 5, 0).Select(e => e.Next));
    }

    [Fact]
    public void LocalityWiderThanTheRingDrawsFromAllStates()
    {
        var mdp = Garnet.Create(new GarnetOptions { States = 6, Actions = 3, Branching = 6, Locality = 100, Seed = 2 });

        for (int s = 0; s < 6; s++)
            Assert.Equal(Enumerable.Range(0, 6), ModelAssert.Row(mdp, s, 1).Select(e => e.Next));
    }

    [Theory]
    [InlineData(2)]   // rejection
    [InlineData(8)]   // Fisher-Yates
    public void SuccessorsAreUniformOverStates(int branching)
    {
        const int states = 10, actions = 3000;
        var mdp = Garnet.Create(new GarnetOptions { States = states, Actions = actions, Branching = branching, Seed = 11 });

        var counts = new int[states];
        foreach (int column in mdp.Columns) counts[column]++;
        double expected = (double)actions * states * branching / states;
        // Each count is a sum of independent Bernoulli(K/S) indicators; 6 standard deviations is far outside chance.
        double sd = Math.Sqrt(actions * states * (branching / (double)states) * (1 - branching / (double)states));
        foreach (int c in counts) Assert.InRange(c, expected - 6 * sd, expected + 6 * sd);
    }

    [Fact]
    public void ProbabilitiesAreAFlatDirichletSplit()
    {
        // Under a flat Dirichlet of dimension K every piece has mean 1/K; the maximum of K = 2 pieces has mean 3/4.
        var mdp = Garnet.Create(new GarnetOptions { States = 1000, Actions = 20, Branching = 2, Seed = 4 });

        double sumOfMax = 0;
        for (int row = 0; row < 20000; row++)
            sumOfMax += Math.Max(mdp.Probabilities[2 * row], mdp.Probabilities[2 * row + 1]);
        Assert.InRange(sumOfMax / 20000, 0.74, 0.76);
    }

    [Fact]
    public void SameSeedGivesIdenticalArraysAndAnotherSeedDoesNot()
    {
        var options = new GarnetOptions { States = 200, Actions = 3, Branching = 5, Locality = 20, Seed = 42 };

        var first = Garnet.Create(options);
        var again = Garnet.Create(options);
        var other = Garnet.Create(options with { Seed = 43 });

        ModelAssert.Identical(first, again);
        Assert.False(first.Columns.SequenceEqual(other.Columns));
        Assert.False(first.Probabilities.SequenceEqual(other.Probabilities));
        Assert.False(first.ExpectedRewards.SequenceEqual(other.ExpectedRewards));
    }

    [Fact]
    public void BuildsALargeGarnet()
    {
        var mdp = Garnet.Create(new GarnetOptions { States = 100_000, Actions = 4, Branching = 10, Seed = 7 });

        Assert.Equal(100_000, mdp.StateCount);
        Assert.Equal(4_000_000, mdp.NonZeroCount);
        Assert.Equal(0.95, mdp.Discount);
    }

    [Theory]
    [InlineData(5, 6, null, "Branching", 6)]
    [InlineData(5, 0, null, "Branching", 0)]
    [InlineData(50, 4, 1, "Branching", 4)]
    [InlineData(0, 1, null, "States", 0)]
    [InlineData(5, 1, -1, "Locality", -1)]
    public void InvalidOptionsNameTheParameterAndValue(int states, int branching, int? locality, string parameter, int value)
    {
        var options = new GarnetOptions { States = states, Actions = 2, Branching = branching, Locality = locality };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Garnet.Create(options));
        Assert.Equal(parameter, e.ParamName);
        Assert.Equal(value, e.ActualValue);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void DiscountOutsideTheUnitIntervalIsRejected(double discount)
    {
        var options = new GarnetOptions { States = 5, Actions = 2, Branching = 2, Discount = discount };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Garnet.Create(options));
        Assert.Equal("Discount", e.ParamName);
    }
}
