using TabularRL.Kernels;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Backends;

/// <summary>
/// Fixed models built to hit what a vectorised, partitioned kernel treats specially, each checked for every primitive
/// and every backend against the oracle: every row length 1..64 (0..64 for <c>Multiply</c>, the only primitive whose
/// rows may be empty), rows of different lengths in one state, lengths that are not multiples of 4 or 8 (vector tails),
/// columns 0 and S-1 (gathers at both ends of V), S = 3 and S = 5000 (three 2048-state blocks), and entries
/// concentrated in a few states (a partition balanced by entries differs from one balanced by states).
/// </summary>
/// <remarks>Each test first asserts that its model has the property it is about, so that it cannot pass vacuously.</remarks>
public sealed class RowLengthContractTests : IDisposable
{
    private readonly BackendSet _backends = BackendSet.UnderTest();

    public void Dispose() => _backends.Dispose();

    /// <summary>This class's properties cover the CUDA backend where a device is present; skipped with the reason elsewhere.</summary>
    [CudaFact]
    public void Cuda_DevicePresent_IsAmongTheBackendsUnderTest() => _backends.AssertIncludesCuda();

    [Theory]
    [InlineData(67, 1)]
    [InlineData(67, 3)]
    [InlineData(5000, 2)]
    public void EveryPrimitive_EveryRowLengthOneToSixtyFour_MatchesOracle(int stateCount, int actionCount)
    {
        var c = new KernelCase(KernelShape.RowLengths, stateCount, actionCount, Discount: 0.9, Magnitude: 1, Temperature: 1, Seed: 1);
        var lengths = RowLengths(c.Problem.Transitions);
        for (int length = 1; length <= 64; length++)
            Assert.Contains(length, lengths);
        if (actionCount > 1)
            Assert.NotEqual(lengths[0], lengths[1]);
        AssertBothEndsGathered(c.Problem.Transitions, stateCount);
        OracleCheck.EveryPrimitive(_backends, c.Model, c.Temperature, c.ToString());
    }

    [Fact]
    public void EveryPrimitive_ThreeStatesWithEveryColumnSubset_MatchesOracle()
    {
        // A = 7: action a of every state moves to the subset of {0, 1, 2} whose bits are a + 1, so each state has rows of
        // lengths 1, 1, 2, 1, 2, 2, 3, and columns 0 and S - 1 = 2 both appear alone and together.
        var model = KernelModel.Create(3, 7, 0.9, 1.0, seed: 3, (row, _) =>
            Enumerable.Range(0, 3).Where(column => ((row % 7 + 1) >> column & 1) != 0).ToArray());
        AssertBothEndsGathered(model.Transitions, 3);
        OracleCheck.EveryPrimitive(_backends, model, [1e-8, 1.0, 1e8], "three states, every column subset");
    }

    [Fact]
    public void EveryPrimitive_EntriesConcentratedInFewStates_MatchesOracle()
    {
        // Three blocks of 2048 states; DeterminismTests also runs this shape on 20000 states.
        const int stateCount = 5000;
        var c = new KernelCase(KernelShape.Unbalanced, stateCount, 3, Discount: 0.95, Magnitude: 1, Temperature: 1, Seed: 1);
        // More than a third of the entries sit in the first 2% of the states.
        var pointers = c.Problem.Transitions.RowPointers.Span;
        long head = pointers[stateCount / 50 * c.ActionCount] - pointers[0];
        Assert.True(3 * head > c.Problem.Transitions.NonZeroCount, $"{head} of {c.Problem.Transitions.NonZeroCount} entries in the first 2% of the states");
        OracleCheck.EveryPrimitive(_backends, c.Model, c.Temperature, c.ToString());
    }

    [Theory]
    [InlineData(7, 3, false)]
    [InlineData(195, 64, false)]
    [InlineData(5000, 5000, false)]
    [InlineData(5000, 5000, true)]
    public void Multiply_EveryRowLengthZeroToSixtyFour_MatchesOracle(int rows, int columns, bool unbalanced)
    {
        var c = new SparseCase(rows, columns, unbalanced, Magnitude: 1, Seed: 1);
        var lengths = RowLengths(c.Matrix);
        if (!unbalanced)
            for (int length = 0; length <= Math.Min(64, columns); length++)
                Assert.Contains(length, lengths);
        Assert.Contains(0, lengths);
        OracleCheck.Multiply(_backends, c.Matrix, c.X, c.ToString());
    }

    [Fact]
    public void Multiply_EmptyRowsAcrossBlockBoundariesAndAtTheEnds_GiveZeroAndMatchOracle()
    {
        // 5000 rows; rows 0..9, 2000..2100 (across the first 2048-row block boundary), 4095..4097 and the last 50 are
        // empty; the others have 1..64 entries.
        const int rows = 5000, columns = 5000;
        static bool Empty(int row) => row < 10 || (row >= 2000 && row <= 2100) || (row >= 4095 && row <= 4097) || row >= rows - 50;
        var random = new System.Random(5);
        var indptr = new long[rows + 1];
        var columnList = new List<int>();
        var values = new List<double>();
        for (int row = 0; row < rows; row++)
        {
            if (!Empty(row))
                foreach (int column in KernelModel.DistinctColumns(random, columns, 1 + row % 64, first: row % 3 == 0, last: row % 5 == 0))
                {
                    columnList.Add(column);
                    values.Add(2 * random.NextDouble() - 1);
                }
            indptr[row + 1] = columnList.Count;
        }
        var matrix = Padded.Rows(indptr, columnList.ToArray(), values.ToArray());
        var x = Padded.Around(Enumerable.Range(0, columns).Select(_ => 2 * random.NextDouble() - 1).ToArray());
        var results = OracleCheck.Multiply(_backends, matrix, x, "empty rows across block boundaries");
        foreach (var y in results)
            for (int row = 0; row < rows; row++)
                if (Empty(row))
                    Assert.Equal(0.0, y[row]);
    }

    private static int[] RowLengths(SparseRows rows)
    {
        var pointers = rows.RowPointers.Span;
        var lengths = new int[rows.RowCount];
        for (int row = 0; row < lengths.Length; row++)
            lengths[row] = (int)(pointers[row + 1] - pointers[row]);
        return lengths;
    }

    private static void AssertBothEndsGathered(SparseRows rows, int stateCount)
    {
        var columns = rows.Columns.Span;
        var pointers = rows.RowPointers.Span;
        var used = columns[(int)pointers[0]..(int)pointers[^1]];
        Assert.True(used.Contains(0), "no row reads V[0]");
        Assert.True(used.Contains(stateCount - 1), $"no row reads V[S-1] = V[{stateCount - 1}]");
    }
}
