using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;

namespace TabularRL.Tests.Engine.Generators;

public class ForestTests
{
    [Fact]
    public void TransitionsAndRewardsMatchTheToolbox()
    {
        var mdp = Forest.Create(new ForestOptions());

        ModelAssert.WellFormed(mdp);
        Assert.Equal([(0, 0.1), (1, 0.9)], ModelAssert.Row(mdp, 0, Forest.Wait));
        Assert.Equal([(0, 0.1), (2, 0.9)], ModelAssert.Row(mdp, 1, Forest.Wait));
        Assert.Equal([(0, 0.1), (2, 0.9)], ModelAssert.Row(mdp, 2, Forest.Wait));
        for (int s = 0; s < 3; s++) Assert.Equal([(0, 1.0)], ModelAssert.Row(mdp, s, Forest.Cut));
        // Row-major [S,A]: (wait, cut) per state.
        Assert.Equal(new double[] { 0, 0, 0, 1, 4, 2 }, mdp.ExpectedRewards.ToArray());
        Assert.Equal(0.9, mdp.Discount);
    }

    [Fact]
    public void AllWaitValueMatchesTheDocumentedOptimum()
    {
        var mdp = Forest.Create(new ForestOptions());

        double[] v = EvaluateAllWait(mdp);

        // pymdptoolbox's PolicyIteration docstring: V = (26.244, 29.484, 33.484), policy (0, 0, 0).
        Assert.Equal(26.244, v[0], 9);
        Assert.Equal(29.484, v[1], 9);
        Assert.Equal(33.484, v[2], 9);
    }

    [Fact]
    public void AllWaitIsOptimal()
    {
        var mdp = Forest.Create(new ForestOptions());
        double[] v = EvaluateAllWait(mdp);

        // A policy is optimal iff its value is a fixed point of the Bellman optimality operator, i.e. no one-step
        // deviation improves it (Puterman 1994, theorem 6.2.5): check Q(s, wait) >= Q(s, cut) and Q(s, wait) = V(s).
        for (int s = 0; s < 3; s++)
        {
            double wait = ModelAssert.Backup(mdp, v, s, Forest.Wait);
            double cut = ModelAssert.Backup(mdp, v, s, Forest.Cut);
            Assert.Equal(v[s], wait, 9);
            Assert.True(wait > cut, $"state {s}: Q(wait) = {wait} <= Q(cut) = {cut}");
        }
    }

    [Fact]
    public void ExtremeFireProbabilitiesDropImpossibleTransitions()
    {
        var never = Forest.Create(new ForestOptions { States = 4, FireProbability = 0 });
        var always = Forest.Create(new ForestOptions { States = 4, FireProbability = 1 });

        ModelAssert.WellFormed(never);
        ModelAssert.WellFormed(always);
        Assert.Equal([(1, 1.0)], ModelAssert.Row(never, 0, Forest.Wait));
        Assert.Equal([(3, 1.0)], ModelAssert.Row(never, 3, Forest.Wait));
        Assert.Equal([(0, 1.0)], ModelAssert.Row(always, 2, Forest.Wait));
        // Four states: cut pays 0, 1, 1, r2.
        Assert.Equal(new double[] { 0, 0, 0, 1, 0, 1, 4, 2 }, never.ExpectedRewards.ToArray());
    }

    [Theory]
    [InlineData(1, 0.1, "States")]
    [InlineData(3, 1.1, "FireProbability")]
    [InlineData(3, -0.1, "FireProbability")]
    public void InvalidOptionsAreRejected(int states, double fire, string parameter)
    {
        var options = new ForestOptions { States = states, FireProbability = fire };

        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => Forest.Create(options)).ParamName);
    }

    /// <summary>Solves (I - gamma P_wait) v = r_wait by Gaussian elimination with partial pivoting.</summary>
    private static double[] EvaluateAllWait(Mdp mdp)
    {
        int n = mdp.StateCount;
        var m = new double[n, n + 1];
        for (int s = 0; s < n; s++)
        {
            m[s, s] = 1;
            foreach (var (next, p) in ModelAssert.Row(mdp, s, Forest.Wait)) m[s, next] -= mdp.Discount * p;
            m[s, n] = mdp.ExpectedRewards[s * mdp.ActionCount + Forest.Wait];
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col])) pivot = r;
            for (int c = 0; c <= n; c++) (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
            for (int r = col + 1; r < n; r++)
            {
                double factor = m[r, col] / m[col, col];
                for (int c = col; c <= n; c++) m[r, c] -= factor * m[col, c];
            }
        }
        var v = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double sum = m[r, n];
            for (int c = r + 1; c < n; c++) sum -= m[r, c] * v[c];
            v[r] = sum / m[r, r];
        }
        return v;
    }
}
