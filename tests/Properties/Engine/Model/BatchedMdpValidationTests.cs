using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;
using TabularRL.Tests.Backends;

namespace TabularRL.Tests.Engine.Model;

/// <summary>
/// <see cref="BatchedMdp"/> is built only from valid same-shape discounted MDPs, and every refusal names the MDP's index
/// and the problem; the three ways in (models, CSR, dense) give the same batch.
/// </summary>
public sealed class BatchedMdpValidationTests
{
    private static Mdp Garnet(int states = 5, int actions = 2, double discount = 0.9, int seed = 0)
        => TabularRL.Engine.Generators.Garnet.Create(new GarnetOptions { States = states, Actions = actions, Branching = 2, Discount = discount, Seed = seed });

    [Fact]
    public void FromModels_MismatchedStates_NamesTheMdpAndBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchedMdp.FromModels([Garnet(), Garnet(seed: 1), Garnet(states: 6)]));
        Assert.Equal("mdps", e.ParamName);
        Assert.Contains("mdps[2] has S = 6, A = 2", e.Message);
        Assert.Contains("mdps[0] has S = 5, A = 2", e.Message);
    }

    [Fact]
    public void FromModels_MismatchedActions_NamesTheMdp()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchedMdp.FromModels([Garnet(), Garnet(actions: 3)]));
        Assert.Contains("mdps[1] has S = 5, A = 3", e.Message);
    }

    [Fact]
    public void FromModels_FiniteHorizonModel_NamesTheMdpAndItsHorizon()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchedMdp.FromModels([Garnet(), Garnet(), Garnet().WithHorizon(7)]));
        Assert.Contains("mdps[2] has horizon 7", e.Message);
        Assert.Contains("infinite-horizon", e.Message);
    }

    [Fact]
    public void FromModels_EmptyOrNullEntry_IsRefused()
    {
        Assert.Contains("at least one MDP", Assert.Throws<ArgumentException>(() => BatchedMdp.FromModels([])).Message);
        Assert.Contains("mdps[1] is null", Assert.Throws<ArgumentException>(() => BatchedMdp.FromModels([Garnet(), null!])).Message);
    }

    [Fact]
    public void FromCsr_RowThatDoesNotSumToOne_NamesTheMdpAndTheRow()
    {
        // Two MDPs S = 2, A = 1: every row goes to state 0 with probability 1, except MDP 1's row (s=1, a=0).
        long[] rowPointers = [0, 1, 2, 3, 4];
        int[] columns = [0, 0, 0, 0];
        double[] probabilities = [1, 1, 1, 0.5];
        var e = Assert.Throws<ModelValidationException>(() => BatchedMdp.FromCsr(2, 1, rowPointers, columns, probabilities, [0, 0, 0, 0], [0.9, 0.9]));
        Assert.StartsWith("MDP 1: ", e.Message);
        Assert.Contains("s=1", e.Message);
        Assert.Contains("0.5", e.Message);
    }

    [Fact]
    public void FromCsr_ColumnOutsideTheMdp_NamesTheMdp()
    {
        // Columns are local: 2 is outside S = 2 even though the batch has 4 states in all.
        var e = Assert.Throws<ModelValidationException>(() => BatchedMdp.FromCsr(2, 1, [0, 1, 2, 3, 4], [0, 0, 2, 0], [1, 1, 1, 1], [0, 0, 0, 0], [0.9, 0.9]));
        Assert.StartsWith("MDP 1: ", e.Message);
        Assert.Contains("2", e.Message);
    }

    [Fact]
    public void FromCsr_WrongLengths_NameTheArray()
    {
        Assert.StartsWith("transitions_indptr", Assert.Throws<ModelValidationException>(() => BatchedMdp.FromCsr(2, 1, [0, 1, 2, 3], [0, 0, 0], [1, 1, 1], [0, 0, 0, 0], [0.9, 0.9])).Message);
        Assert.StartsWith("rewards", Assert.Throws<ModelValidationException>(() => BatchedMdp.FromCsr(2, 1, [0, 1, 2, 3, 4], [0, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0], [0.9, 0.9])).Message);
        Assert.StartsWith("discounts", Assert.Throws<ModelValidationException>(() => BatchedMdp.FromCsr(2, 1, [0], [], [], [], [])).Message);
        Assert.Contains("decreases at row 2 (MDP 1)", Assert.Throws<ModelValidationException>(() => BatchedMdp.FromCsr(2, 1, [0, 1, 2, 1, 4], [0, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0], [0.9, 0.9])).Message);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void FromDense_DiscountOutOfRange_NamesTheMdpAndTheDiscount(double discount)
    {
        var e = Assert.Throws<ModelValidationException>(() => BatchedMdp.FromDense(1, 1, [1, 1, 1], [0, 0, 0], [0.5, 0.5, discount]));
        Assert.StartsWith("MDP 2: discount", e.Message);
    }

    [Fact]
    public void FromDense_NonFiniteReward_NamesTheMdp()
    {
        var e = Assert.Throws<ModelValidationException>(() => BatchedMdp.FromDense(1, 2, [1, 1, 1, 1], [0, 0, double.PositiveInfinity, 0], [0.5, 0.5]));
        Assert.StartsWith("MDP 1: ", e.Message);
        Assert.Contains("Infinity", e.Message);
    }

    [Fact]
    public void ThreeWaysIn_GiveTheSameArraysAndModelAtGivesEachMdpBack()
    {
        var random = new System.Random(3);
        int S = 4, A = 3, B = 3;
        var transitions = new double[B][];
        for (int b = 0; b < B; b++)
        {
            transitions[b] = new double[S * A * S];
            for (int row = 0; row < S * A; row++)
            {
                // Two or three successors per row, some transitions impossible.
                var weights = Enumerable.Range(0, S).Select(n => n == row % S || random.NextDouble() < 0.5 ? random.NextDouble() + 0.1 : 0).ToArray();
                double total = weights.Sum();
                for (int n = 0; n < S; n++) transitions[b][row * S + n] = weights[n] / total;
            }
        }
        var rewards = Enumerable.Range(0, B).Select(_ => Enumerable.Range(0, S * A).Select(_ => random.NextDouble()).ToArray()).ToArray();
        double[] discounts = [0, 0.5, 0.99];
        var batches = Enum.GetValues<BatchSource>().Select(source => new BatchCase(S, A, discounts, transitions, rewards, source).Batch()).ToArray();
        foreach (var batch in batches.Skip(1))
        {
            Assert.True(batch.RowPointers.SequenceEqual(batches[0].RowPointers));
            Assert.True(batch.Columns.SequenceEqual(batches[0].Columns));
            Assert.True(batch.Probabilities.SequenceEqual(batches[0].Probabilities));
            Assert.True(batch.ExpectedRewards.SequenceEqual(batches[0].ExpectedRewards));
            Assert.True(batch.Discounts.SequenceEqual(discounts));
        }
        var solo = new BatchCase(S, A, discounts, transitions, rewards, BatchSource.Models);
        for (int b = 0; b < B; b++)
        {
            var back = batches[0].ModelAt(b);
            var expected = solo.Solo(b);
            Assert.Equal(expected.Discount, back.Discount);
            Assert.True(back.RowPointers.SequenceEqual(expected.RowPointers), $"MDP {b} row pointers");
            Assert.True(back.Columns.SequenceEqual(expected.Columns), $"MDP {b} columns");
            Assert.True(back.Probabilities.SequenceEqual(expected.Probabilities), $"MDP {b} probabilities");
            Assert.True(back.ExpectedRewards.SequenceEqual(expected.ExpectedRewards), $"MDP {b} rewards");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => batches[0].ModelAt(B));
    }
}
