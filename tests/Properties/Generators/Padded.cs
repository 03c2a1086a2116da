using TabularRL.Kernels;

namespace TabularRL.Tests.Generators;

/// <summary>
/// Kernel inputs as slices of larger buffers whose surroundings are poisoned, the way solvers pass them (one stage of
/// a finite-horizon model is a slice of the row pointers over the full column and value arrays; a stage's values are a
/// slice of an H x S array). A kernel that reads outside its slice, or treats row pointers as relative to the start of
/// the column array, picks up NaN and fails the comparison with the oracle.
/// </summary>
public static class Padded
{
    /// <summary>Entries of poison on each side: more than one 512-bit vector of doubles or of ints.</summary>
    public const int Pad = 16;

    /// <summary>A copy of <paramref name="values"/> with <see cref="Pad"/> entries of <paramref name="poison"/> on each side.</summary>
    public static ReadOnlyMemory<T> Around<T>(ReadOnlySpan<T> values, T poison)
    {
        var buffer = new T[values.Length + 2 * Pad];
        Array.Fill(buffer, poison);
        values.CopyTo(buffer.AsSpan(Pad));
        return buffer.AsMemory(Pad, values.Length);
    }

    /// <summary>A copy of <paramref name="values"/> surrounded by NaN.</summary>
    public static ReadOnlyMemory<double> Around(ReadOnlySpan<double> values) => Around(values, double.NaN);

    /// <summary>
    /// CSR rows stored after <see cref="Pad"/> rows of another stage and before <see cref="Pad"/> more: the row pointers
    /// are a slice with absolute offsets, and every entry outside these rows has column 0 and value NaN.
    /// </summary>
    /// <param name="indptr">[rows + 1] offsets starting at 0.</param>
    /// <param name="columns">[nnz] column indices.</param>
    /// <param name="values">[nnz] entries.</param>
    public static SparseRows Rows(ReadOnlySpan<long> indptr, ReadOnlySpan<int> columns, ReadOnlySpan<double> values)
    {
        // Each foreign row holds two entries, so the rows under test start at offset 2 * Pad, not 0.
        const int foreignEntries = 2 * Pad;
        int rows = indptr.Length - 1;
        var pointerBuffer = new long[rows + 1 + 2 * Pad];
        for (int i = 0; i < Pad; i++)
            pointerBuffer[i] = 2 * i;
        for (int i = 0; i <= rows; i++)
            pointerBuffer[Pad + i] = foreignEntries + indptr[i];
        for (int i = 1; i <= Pad; i++)
            pointerBuffer[Pad + rows + i] = pointerBuffer[Pad + rows] + 2 * i;

        int nnz = columns.Length;
        var columnBuffer = new int[nnz + 2 * foreignEntries];
        var valueBuffer = new double[nnz + 2 * foreignEntries];
        Array.Fill(valueBuffer, double.NaN);
        columns.CopyTo(columnBuffer.AsSpan(foreignEntries));
        values.CopyTo(valueBuffer.AsSpan(foreignEntries));
        return new SparseRows(pointerBuffer.AsMemory(Pad, rows + 1), columnBuffer, valueBuffer);
    }
}
