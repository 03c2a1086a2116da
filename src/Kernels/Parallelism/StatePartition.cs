namespace TabularRL.Kernels.Parallelism;

/// <summary>Splits the states of a CSR model into contiguous ranges of about equal work, one per thread.</summary>
/// <remarks>
/// A sweep's cost is its memory traffic: 12 bytes per stored entry plus 16 per row (row pointer and reward), so ranges
/// of equal row counts are unbalanced whenever branching varies across states. Balancing on the prefix cost
/// nnz(0..s) + RowWeight * rows(0..s), which is monotone in s, needs only a binary search per boundary. The split
/// decides which thread computes a state, never how, so results do not depend on it.
/// </remarks>
internal static class StatePartition
{
    /// <summary>Cost of a row relative to a stored entry: (8 + 8) / (8 + 4) bytes, rounded.</summary>
    private const long RowWeight = 1;

    /// <summary>Boundaries are multiples of this, so that kernels working on aligned groups of states see the same groups
    /// whatever the number of parts.</summary>
    public const int Alignment = 8;

    /// <summary>Fills <paramref name="boundaries"/> (length parts + 1) with state offsets 0 = b0 &lt;= b1 &lt;= ... = S, inner ones multiples of <see cref="Alignment"/>.</summary>
    /// <param name="rowPointers">[S*rowsPerState + 1] absolute offsets.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="rowsPerState">A for a Bellman problem, 1 for a plain matrix.</param>
    /// <param name="boundaries">Output, one more than the number of parts.</param>
    public static void Balance(ReadOnlySpan<long> rowPointers, int stateCount, int rowsPerState, Span<int> boundaries)
    {
        int parts = boundaries.Length - 1;
        long first = rowPointers[0];
        long total = Cost(rowPointers, first, stateCount, rowsPerState);
        boundaries[0] = 0;
        for (int p = 1; p < parts; p++)
        {
            long target = total / parts * p + total % parts * p / parts;
            // The first state whose prefix cost reaches the target.
            int low = boundaries[p - 1], high = stateCount;
            while (low < high)
            {
                int mid = low + (high - low) / 2;
                if (Cost(rowPointers, first, mid, rowsPerState) < target) low = mid + 1;
                else high = mid;
            }
            boundaries[p] = Math.Max(boundaries[p - 1], Math.Min(stateCount, (low + Alignment / 2) / Alignment * Alignment));
        }
        boundaries[parts] = stateCount;
    }

    private static long Cost(ReadOnlySpan<long> rowPointers, long first, int states, int rowsPerState)
    {
        long rows = (long)states * rowsPerState;
        return rowPointers[(int)rows] - first + RowWeight * rows;
    }
}
