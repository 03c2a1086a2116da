namespace TabularRL.Kernels;

/// <summary>Rows of a sparse matrix in CSR form, as the Bellman kernels read them.</summary>
/// <remarks>
/// <see cref="RowPointers"/> holds <c>RowCount + 1</c> absolute offsets into <see cref="Columns"/> and
/// <see cref="Values"/>. Because the offsets are absolute, one stage of a stage-dependent model is a slice of the
/// row pointers over the full column and value arrays, with no copy.
/// </remarks>
public readonly struct SparseRows
{
    /// <summary>Creates a view; the caller guarantees the CSR invariants (kernels only assert them).</summary>
    /// <param name="rowPointers">[RowCount + 1] absolute offsets, non-decreasing.</param>
    /// <param name="columns">[nnz] column indices, strictly increasing within a row.</param>
    /// <param name="values">[nnz] entries aligned with <paramref name="columns"/>.</param>
    public SparseRows(ReadOnlyMemory<long> rowPointers, ReadOnlyMemory<int> columns, ReadOnlyMemory<double> values)
    {
        if (rowPointers.Length < 1)
            throw new ArgumentException("row pointers need at least one entry", nameof(rowPointers));
        if (columns.Length != values.Length)
            throw new ArgumentException($"columns ({columns.Length}) and values ({values.Length}) differ in length", nameof(values));
        RowPointers = rowPointers;
        Columns = columns;
        Values = values;
    }

    /// <summary>[RowCount + 1] absolute offsets into <see cref="Columns"/> and <see cref="Values"/>.</summary>
    public ReadOnlyMemory<long> RowPointers { get; }

    /// <summary>[nnz] column indices.</summary>
    public ReadOnlyMemory<int> Columns { get; }

    /// <summary>[nnz] entries.</summary>
    public ReadOnlyMemory<double> Values { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount => RowPointers.Length - 1;

    /// <summary>Number of stored entries in these rows (not in the whole backing arrays).</summary>
    public long NonZeroCount
    {
        get
        {
            var p = RowPointers.Span;
            return p[^1] - p[0];
        }
    }
}
