using FsCheck;
using FsCheck.Fluent;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels.Backends;
using TabularRL.Kernels.Ordering;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Kernels;

/// <summary>
/// Renumbering states (<see cref="StatePermutation"/>, <see cref="Mdp.Reordered"/>) changes the names of the states and
/// nothing else: undoing it restores every array exactly, and a solve on the renumbered model, mapped back, is the
/// solve on the original up to the order of the terms within a row.
/// </summary>
public sealed class StatePermutationTests
{
    private static Gen<(ModelCase Model, int[] NewToOld)> ModelAndShuffle(Gen<ModelCase> models)
        => from model in models
           from order in Gen.Shuffle(Enumerable.Range(0, model.StateCount).ToArray())
           select (model, order.ToArray());

    [Fact]
    public void ReorderedThenInverse_RestoresEveryArrayExactly()
    {
        var models = Gen.OneOf(ModelGenerators.Discounted(), ModelGenerators.FiniteHorizon());
        PropertyCheck.Run(ModelAndShuffle(models).ToArbitrary(), c =>
        {
            var mdp = c.Model.Build();
            var permutation = new StatePermutation(c.NewToOld);
            var back = mdp.Reordered(permutation).Reordered(new StatePermutation(permutation.OldToNew.ToArray()));
            Assert.Equal(mdp.RowPointers.ToArray(), back.RowPointers.ToArray());
            Assert.Equal(mdp.Columns.ToArray(), back.Columns.ToArray());
            Assert.Equal(mdp.Probabilities.ToArray(), back.Probabilities.ToArray());
            Assert.Equal(mdp.ExpectedRewards.ToArray(), back.ExpectedRewards.ToArray());
            Assert.Equal(mdp.TransitionRewards.ToArray(), back.TransitionRewards.ToArray());
            Assert.Equal(mdp.InitialDistribution.ToArray(), back.InitialDistribution.ToArray());
            Assert.Equal(mdp.Horizon, back.Horizon);
        });
    }

    [Fact]
    public void Reordered_MovesEachTransitionWithItsStates()
    {
        PropertyCheck.Run(ModelAndShuffle(ModelGenerators.FiniteHorizon()).ToArbitrary(), c =>
        {
            var mdp = c.Model.Build();
            var p = new StatePermutation(c.NewToOld);
            var moved = mdp.Reordered(p);
            int S = mdp.StateCount, A = mdp.ActionCount;
            for (int h = 0; h < mdp.TransitionStageCount; h++)
                for (int n = 0; n < S; n++)
                    for (int a = 0; a < A; a++)
                    {
                        var (columns, values) = Row(moved, h, n, a);
                        Assert.True(columns.Zip(columns.Skip(1)).All(pair => pair.First < pair.Second), "columns must increase within a row");
                        var (oldColumns, oldValues) = Row(mdp, h, p.NewToOld[n], a);
                        var expected = oldColumns.Zip(oldValues).ToDictionary(e => p.OldToNew[e.First], e => e.Second);
                        Assert.Equal(expected, columns.Zip(values).ToDictionary(e => e.First, e => e.Second));
                    }
        });
    }

    private static (int[] Columns, double[] Values) Row(Mdp mdp, int h, int s, int a)
    {
        int row = (h * mdp.StateCount + s) * mdp.ActionCount + a;
        int start = (int)mdp.RowPointers[row], end = (int)mdp.RowPointers[row + 1];
        return (mdp.Columns[start..end].ToArray(), mdp.Probabilities[start..end].ToArray());
    }

    [Fact]
    public void SolveOnReorderedModel_MapsBackToTheOriginalSolve()
    {
        var models = Gen.OneOf(ModelGenerators.Discounted(), ModelGenerators.FiniteHorizon());
        PropertyCheck.Run(ModelAndShuffle(models).ToArbitrary(), c =>
        {
            var mdp = c.Model.Build();
            var p = new StatePermutation(c.NewToOld);
            using var backend = new ReferenceBackend();
            var options = new PolicyIterationOptions();
            var direct = PolicyIteration.Solve(mdp, options, backend);
            var viaReorder = PolicyIteration.Solve(mdp.Reordered(p), options, backend).InOriginalOrder(p);
            double scale = c.Model.RewardScale / Math.Max(1 - c.Model.Discount, 1.0 / (c.Model.Horizon ?? 1));
            Assert.Equal(direct.Values.Length, viaReorder.Values.Length);
            for (int i = 0; i < direct.Values.Length; i++)
                Assert.True(Math.Abs(direct.Values[i] - viaReorder.Values[i]) <= 1e-9 * scale, $"V[{i}]: {direct.Values[i]} and {viaReorder.Values[i]}");
            for (int i = 0; i < direct.QValues.Length; i++)
                Assert.True(Math.Abs(direct.QValues[i] - viaReorder.QValues[i]) <= 1e-9 * scale, $"Q[{i}]: {direct.QValues[i]} and {viaReorder.QValues[i]}");
            // Actions keep their indices, so where Q has a clear winner both solves pick it.
            int A = mdp.ActionCount;
            for (int i = 0; i < direct.Actions.Length; i++)
            {
                var q = direct.QValues.Slice(i * A, A).ToArray();
                double best = q.Max(), second = q.Where((_, a) => a != direct.Actions[i]).DefaultIfEmpty(double.NegativeInfinity).Max();
                if (best - second > 1e-6 * scale) Assert.Equal(direct.Actions[i], viaReorder.Actions[i]);
            }
        }, PropertyCheck.SolverCases);
    }

    [Theory]
    [InlineData(new[] { 0, 2 }, "entry 1 is 2, outside [0, 2)")]
    [InlineData(new[] { 1, -1 }, "entry 1 is -1, outside [0, 2)")]
    [InlineData(new[] { 1, 0, 1 }, "state 1 appears at 0 and at 2")]
    public void NotAPermutation_IsRejectedNamingTheEntry(int[] newToOld, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new StatePermutation(newToOld));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PermutationOfAnotherSize_IsRejected()
    {
        var mdp = SolverTestModelsForOrdering.Ring(5, [0, 1, 2, 3, 4]);
        var e = Assert.Throws<ArgumentException>(() => mdp.Reordered(new StatePermutation([1, 0])));
        Assert.Contains("over 2 states, the model has 5", e.Message, StringComparison.Ordinal);
    }
}
