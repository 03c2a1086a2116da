namespace TabularRL.Kernels.Ordering;

/// <summary>How far, in state numbering, the stored transitions jump: the locality that a reordering improves.</summary>
public static class NextStateDistance
{
    /// <summary>The mean of |s' - s| over the stored entries of CSR rows <c>h*S*A + s*A + a</c> (0 without entries).</summary>
    /// <param name="rowPointers">[stages*S*A + 1] absolute offsets.</param>
    /// <param name="columns">Next states, indexed by the offsets.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    public static double Mean(ReadOnlySpan<long> rowPointers, ReadOnlySpan<int> columns, int stateCount, int actionCount)
    {
        long rowsPerStage = (long)stateCount * actionCount;
        double total = 0;
        for (long row = 0; row < rowPointers.Length - 1; row++)
        {
            long state = row % rowsPerStage / actionCount;
            for (long k = rowPointers[(int)row]; k < rowPointers[(int)row + 1]; k++)
                total += Math.Abs(columns[(int)k] - state);
        }
        long entries = rowPointers[^1] - rowPointers[0];
        return entries == 0 ? 0 : total / entries;
    }
}
