using TabularRL.Kernels;
using TabularRL.Kernels.Measurement;
using TabularRL.Kernels.Rows;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Backends;

/// <summary>
/// Rows that all hold the same number of entries, which the CPU kernels address without reading the row pointers
/// (<see cref="SparseRows.UniformRowLength"/>): every primitive against the oracle, on rows that start at offset 0 and
/// on the same rows as a slice that starts further into its arrays (one stage of a finite-horizon model), in float64
/// and float32.
/// </summary>
public sealed class UniformRowContractTests : IDisposable
{
    private readonly BackendSet _backends = BackendSet.UnderTest();

    public void Dispose() => _backends.Dispose();

    /// <summary>This class's properties cover the CUDA backend where a device is present; skipped with the reason elsewhere.</summary>
    [CudaFact]
    public void Cuda_DevicePresent_IsAmongTheBackendsUnderTest() => _backends.AssertIncludesCuda();

    [Theory]
    [InlineData(67, 1, 1)]
    [InlineData(67, 3, 10)]
    [InlineData(5000, 2, 7)]
    public void EveryPrimitive_UniformRows_MatchesOracle(int stateCount, int actionCount, int length)
    {
        var model = Uniform(stateCount, actionCount, length);
        Assert.Equal(length, model.Transitions.UniformRowLength);
        OracleCheck.EveryPrimitive(_backends, model, [1e-8, 1.0, 1e8], $"S={stateCount}, A={actionCount}, every row {length} entries");
        OracleCheck.EveryPrimitive(_backends, model.WithSingleProbabilities(), 1.0, $"S={stateCount}, A={actionCount}, every row {length} entries, float32");
    }

    [Theory]
    [InlineData(67, 3, 10)]
    [InlineData(5000, 2, 7)]
    public void EveryPrimitive_UniformRowsStartingInsideTheirArrays_MatchesOracle(int stateCount, int actionCount, int length)
    {
        var model = Uniform(stateCount, actionCount, length);
        var rows = model.Transitions;
        // A leading block of other entries, as stage h > 0 of a finite-horizon model has: the rows' offsets are absolute.
        int lead = 3 * length + 1;
        var pointers = rows.RowPointers.ToArray().Select(p => p + lead).ToArray();
        var columns = Enumerable.Repeat(stateCount - 1, lead).Concat(rows.Columns.ToArray()).ToArray();
        var values = Enumerable.Repeat(1e300, lead).Concat(rows.Values.ToArray()).ToArray();
        var shifted = model.WithTransitions(new SparseRows(pointers, columns, values));
        Assert.Equal(length, shifted.Transitions.UniformRowLength);
        Assert.Equal(rows.RowPointers.Span[0] + lead, shifted.Transitions.RowPointers.Span[0]);
        OracleCheck.EveryPrimitive(_backends, shifted, 1.0, $"S={stateCount}, A={actionCount}, every row {length} entries, from offset {lead}");
    }

    [Fact]
    public void EveryPrimitive_UniformRowsBeyondHalfTheLastLevelCache_MatchesOracle()
    {
        // Large enough for the kernels' software prefetch (PinnedRows.PrefetchPays), which smaller models skip: 12
        // bytes per float64 entry, A = 2, 10 entries per row, 10% beyond half the cache.
        const int actionCount = 2, length = 10;
        int stateCount = checked((int)(LastLevelCache.Bytes / 2 * 11 / 10 / (12 * actionCount * length)));
        var model = Uniform(stateCount, actionCount, length);
        Assert.True(PinnedRows.PrefetchPays(model.Transitions));
        OracleCheck.EveryPrimitive(_backends, model, 1.0, $"S={stateCount}, A={actionCount}, every row {length} entries");
    }

    [Fact]
    public void UniformRowLength_RowsOfDifferentLengthsOrEmpty_IsZero()
    {
        Assert.Equal(0, new SparseRows(new long[] { 0, 2, 3 }, new[] { 0, 1, 0 }, new[] { 0.5, 0.5, 1.0 }).UniformRowLength);
        Assert.Equal(0, new SparseRows(new long[] { 0, 0, 0 }, Array.Empty<int>(), Array.Empty<double>()).UniformRowLength);
        Assert.Equal(0, new SparseRows(new long[] { 0 }, Array.Empty<int>(), Array.Empty<double>()).UniformRowLength);
        Assert.Equal(2, new SparseRows(new long[] { 4, 6, 8 }, new int[8], new double[8]).UniformRowLength);
    }

    private static KernelModel Uniform(int stateCount, int actionCount, int length)
        => KernelModel.Create(stateCount, actionCount, 0.9, 1.0, seed: 11, (_, random) =>
        {
            var next = new SortedSet<int>();
            while (next.Count < Math.Min(length, stateCount)) next.Add(random.Next(stateCount));
            return next.ToArray();
        });
}
