using System.Runtime.CompilerServices;

namespace TabularRL.Kernels.Rows;

/// <summary>Raw pointers to pinned CSR arrays, so that the sweeps' inner loops run without bounds checks.</summary>
/// <remarks>Valid only inside the <c>fixed</c> block that pinned the arrays; offsets are absolute and 64-bit.</remarks>
internal readonly unsafe struct PinnedRows(long* rowPointers, int* columns, double* values)
{
    /// <summary>sum_k values[k] * x[columns[k]] over the entries of <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Expectation(long row, double* x)
    {
        long begin = rowPointers[row];
        return RowDot.Compute(values + begin, columns + begin, rowPointers[row + 1] - begin, x);
    }
}
