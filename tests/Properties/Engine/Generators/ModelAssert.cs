using TabularRL.Engine.Model;

namespace TabularRL.Tests.Engine.Generators;

/// <summary>Structural checks and row access shared by the generator tests.</summary>
internal static class ModelAssert
{
    /// <summary>The stored entries (next state, probability) of row (s, a).</summary>
    public static (int Next, double P)[] Row(Mdp mdp, int s, int a)
    {
        long row = (long)s * mdp.ActionCount + a;
        var result = new List<(int, double)>();
        for (long k = mdp.RowPointers[(int)row]; k < mdp.RowPointers[(int)row + 1]; k++)
            result.Add((mdp.Columns[(int)k], mdp.Probabilities[(int)k]));
        return [.. result];
    }

    /// <summary>Every row has strictly increasing columns in range, positive probabilities, and sums to 1.</summary>
    public static void WellFormed(Mdp mdp, double tolerance = 1e-12)
    {
        long rows = (long)mdp.StateCount * mdp.ActionCount;
        for (long row = 0; row < rows; row++)
        {
            double sum = 0;
            int previous = -1;
            for (long k = mdp.RowPointers[(int)row]; k < mdp.RowPointers[(int)row + 1]; k++)
            {
                int column = mdp.Columns[(int)k];
                Assert.True(column > previous && column < mdp.StateCount, $"row {row}: column {column} after {previous}");
                Assert.True(mdp.Probabilities[(int)k] > 0, $"row {row}: probability {mdp.Probabilities[(int)k]}");
                previous = column;
                sum += mdp.Probabilities[(int)k];
            }
            Assert.True(Math.Abs(sum - 1) <= tolerance, $"row {row} sums to {sum}");
        }
    }

    /// <summary>Two models have identical arrays.</summary>
    public static void Identical(Mdp expected, Mdp actual)
    {
        Assert.Equal(expected.StateCount, actual.StateCount);
        Assert.Equal(expected.ActionCount, actual.ActionCount);
        Assert.True(expected.RowPointers.SequenceEqual(actual.RowPointers));
        Assert.True(expected.Columns.SequenceEqual(actual.Columns));
        Assert.True(expected.Probabilities.SequenceEqual(actual.Probabilities));
        Assert.True(expected.ExpectedRewards.SequenceEqual(actual.ExpectedRewards));
        Assert.True(expected.TransitionRewards.SequenceEqual(actual.TransitionRewards));
        Assert.True(expected.InitialDistribution.SequenceEqual(actual.InitialDistribution));
    }

    /// <summary>R(s,a) + gamma * sum_{s'} P(s'|s,a) v(s'), computed directly from the CSR arrays.</summary>
    public static double Backup(Mdp mdp, double[] v, int s, int a)
    {
        double q = mdp.ExpectedRewards[s * mdp.ActionCount + a];
        foreach (var (next, p) in Row(mdp, s, a)) q += mdp.Discount * p * v[next];
        return q;
    }
}
