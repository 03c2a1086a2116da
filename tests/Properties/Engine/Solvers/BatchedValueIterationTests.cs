using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Backends;

namespace TabularRL.Tests.Engine.Solvers;

/// <summary>
/// <see cref="BatchedValueIteration"/>: each MDP's result is its solo <see cref="ValueIteration"/> result (values,
/// bound, sweeps; actions where the Q gap is clear), converged flags follow the tolerance, options are checked by name,
/// and a non-finite value is a <see cref="NumericalException"/> naming the MDP and the state.
/// </summary>
public sealed class BatchedValueIterationTests
{
    private static IEnumerable<(string Name, IBatchedBellmanBackend Batched, IBellmanBackend Solo)> Backends() => BatchedCheck.Backends();

    [Fact]
    public void Solve_GarnetsOfMixedDiscounts_EachMdpIsItsSoloSolve()
    {
        var mdps = BatchCase.Garnets(12, 0, 0.5, 0.9, 0.99);
        var batch = BatchedMdp.FromModels(mdps);
        var failures = new List<string>();
        foreach (var (name, batched, soloBackend) in Backends())
        {
            var result = BatchedValueIteration.Solve(batch, new BatchedSolverOptions { Tolerance = 1e-10 }, batched);
            Assert.Equal((12, 50, 4), (result.BatchCount, result.StateCount, result.ActionCount));
            Assert.True(result.AllConverged, name);
            var outputs = new BatchedOutputs(result.AllConverged, result.Values.ToArray(), result.Actions.ToArray(), result.ErrorBounds.ToArray(), result.Sweeps.ToArray());
            for (int b = 0; b < mdps.Length; b++)
            {
                var solo = ValueIteration.Solve(mdps[b], new SolverOptions { Tolerance = 1e-10 }, soloBackend);
                BatchedCheck.Bitwise(failures, name, b, 50, outputs, solo);
                BatchedCheck.WithinBounds(failures, name, b, 50, 4, mdps[b].Discount, outputs, solo);
                if (!result.ValuesOf(b).SequenceEqual(result.Values.Slice(b * 50, 50))) failures.Add($"{name}: ValuesOf({b})");
                if (!result.ActionsOf(b).SequenceEqual(result.Actions.Slice(b * 50, 50))) failures.Add($"{name}: ActionsOf({b})");
            }
        }
        BatchedCheck.AssertNone(failures, "12 garnets, gamma 0 to 0.99");
    }

    [Fact]
    public void Solve_SweepLimit_FlagsOnlyTheMdpsThatRanOut()
    {
        var batch = BatchedMdp.FromModels(BatchCase.Garnets(4, 0.5, 0.99));
        var result = BatchedValueIteration.Solve(batch, new BatchedSolverOptions { MaxSweeps = 100 }, new CpuBackend(2));
        Assert.Equal([true, false, true, false], result.Converged.ToArray());
        Assert.False(result.AllConverged);
        Assert.Equal(100, result.Sweeps[1]);
        Assert.True(result.ErrorBounds[1] > 1e-8);
    }

    [Fact]
    public void Solve_StartValues_AreUsedAndAWarmStartFinishesAtOnce()
    {
        var batch = BatchedMdp.FromModels(BatchCase.Garnets(3, 0.95));
        var backend = new CpuBackend(1);
        var cold = BatchedValueIteration.Solve(batch, new BatchedSolverOptions(), backend);
        var warm = BatchedValueIteration.Solve(batch, new BatchedSolverOptions { StartValues = cold.Values.ToArray() }, backend);
        Assert.All(warm.Sweeps.ToArray(), k => Assert.Equal(1, k));
        Assert.True(cold.Sweeps[0] > 100);
    }

    [Fact]
    public void Solve_Overflow_IsANumericalExceptionNamingTheMdpAndState()
    {
        var mdps = BatchCase.Garnets(3, 0.9);
        mdps[2] = mdps[2].WithExpectedRewards(Enumerable.Repeat(1e308, 200).ToArray());
        var batch = BatchedMdp.FromModels(mdps);
        foreach (var (name, batched, _) in Backends())
        {
            var e = Assert.Throws<NumericalException>(() => BatchedValueIteration.Solve(batch, new BatchedSolverOptions(), batched));
            Assert.Contains("MDP 2", e.Message);
            Assert.Contains("state 0 has value", e.Message);
            Assert.Contains("after 2 sweeps", e.Message);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-8)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Solve_BadTolerance_IsRefusedByName(double tolerance)
    {
        var batch = BatchedMdp.FromModels(BatchCase.Garnets(1, 0.9));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => BatchedValueIteration.Solve(batch, new BatchedSolverOptions { Tolerance = tolerance }, new ReferenceBackend()));
        Assert.Equal(nameof(BatchedSolverOptions.Tolerance), e.ParamName);
    }

    [Fact]
    public void Solve_BadSweepLimitOrStartValues_AreRefusedNamingWhere()
    {
        var batch = BatchedMdp.FromModels(BatchCase.Garnets(2, 0.9));
        var backend = new ReferenceBackend();
        Assert.Equal(nameof(BatchedSolverOptions.MaxSweeps),
            Assert.Throws<ArgumentOutOfRangeException>(() => BatchedValueIteration.Solve(batch, new BatchedSolverOptions { MaxSweeps = 0 }, backend)).ParamName);
        var length = Assert.Throws<ArgumentException>(() => BatchedValueIteration.Solve(batch, new BatchedSolverOptions { StartValues = new double[50] }, backend));
        Assert.Contains("B*S = 100", length.Message);
        var start = new double[100];
        start[73] = double.NaN;
        var nan = Assert.Throws<ArgumentException>(() => BatchedValueIteration.Solve(batch, new BatchedSolverOptions { StartValues = start }, backend));
        Assert.Contains("MDP 1, state 23", nan.Message);
    }
}
