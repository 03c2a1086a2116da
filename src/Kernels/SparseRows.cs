namespace TabularRL.Kernels;

/// <summary>Rows of a sparse matrix in CSR form, as the Bellman kernels read them.</summary>
/// <remarks>
/// <see cref="RowPointers"/> holds <c>RowCount + 1</c> absolute offsets into <see cref="Columns"/> and
/// <see cref="Values"/>. Because the offsets are absolute, one stage of a stage-dependent model is a slice of the
/// row pointers over the full column and value arrays, with no copy. The entries are float64 by default; the
/// optional float32 storage (<see cref="ToSingle"/>) streams 8 instead of 12 bytes per entry, and every CPU kernel
/// still multiplies and accumulates in float64.
/// </remarks>
public readonly struct SparseRows
{
    private readonly ReadOnlyMemory<double> _values;

    /// <summary>Creates a view; the caller guarantees the CSR invariants (kernels only assert them).</summary>
    /// <param name="rowPointers">[RowCount + 1] absolute offsets, non-decreasing.</param>
    /// <param name="columns">[nnz] column indices, strictly increasing within a row.</param>
    /// <param name="values">[nnz] entries aligned with <paramref name="columns"/>.</param>
    public SparseRows(ReadOnlyMemory<long> rowPointers, ReadOnlyMemory<int> columns, ReadOnlyMemory<double> values)
        : this(rowPointers, columns, values, default, isSingle: false, values.Length)
    {
    }

    /// <summary>Creates a view whose entries are stored in single precision (the kernels accumulate in double).</summary>
    /// <param name="rowPointers">[RowCount + 1] absolute offsets, non-decreasing.</param>
    /// <param name="columns">[nnz] column indices, strictly increasing within a row.</param>
    /// <param name="singleValues">[nnz] entries aligned with <paramref name="columns"/>.</param>
    public SparseRows(ReadOnlyMemory<long> rowPointers, ReadOnlyMemory<int> columns, ReadOnlyMemory<float> singleValues)
        : this(rowPointers, columns, default, singleValues, isSingle: true, singleValues.Length)
    {
    }

    private SparseRows(ReadOnlyMemory<long> rowPointers, ReadOnlyMemory<int> columns, ReadOnlyMemory<double> values,
        ReadOnlyMemory<float> singleValues, bool isSingle, int valueCount)
    {
        if (rowPointers.Length < 1)
            throw new ArgumentException("row pointers need at least one entry", nameof(rowPointers));
        if (columns.Length != valueCount)
            throw new ArgumentException($"columns ({columns.Length}) and values ({valueCount}) differ in length", nameof(values));
        RowPointers = rowPointers;
        Columns = columns;
        _values = values;
        SingleValues = singleValues;
        IsSingle = isSingle;
        UniformRowLength = DetectUniformRowLength(rowPointers.Span);
    }

    /// <summary>[RowCount + 1] absolute offsets into <see cref="Columns"/> and <see cref="Values"/>.</summary>
    public ReadOnlyMemory<long> RowPointers { get; }

    /// <summary>[nnz] column indices.</summary>
    public ReadOnlyMemory<int> Columns { get; }

    /// <summary>[nnz] entries in double precision.</summary>
    /// <exception cref="InvalidOperationException">The entries are stored in single precision (<see cref="IsSingle"/>).</exception>
    public ReadOnlyMemory<double> Values => IsSingle
        ? throw new InvalidOperationException("these rows store their entries as float32; this consumer needs float64 entries")
        : _values;

    /// <summary>[nnz] entries in single precision when <see cref="IsSingle"/>, else empty.</summary>
    public ReadOnlyMemory<float> SingleValues { get; }

    /// <summary>Whether the entries are stored as float32 (<see cref="SingleValues"/>) rather than float64 (<see cref="Values"/>).</summary>
    public bool IsSingle { get; }

    /// <summary>The float64 entries, empty when <see cref="IsSingle"/>: for kernels that read either storage.</summary>
    internal ReadOnlyMemory<double> DoubleValues => _values;

    /// <summary>The same rows with float64 entries: these rows, or the float32 entries widened (exactly) into a copy.</summary>
    public SparseRows ToDouble()
    {
        if (!IsSingle) return this;
        var source = SingleValues.Span;
        var doubles = new double[source.Length];
        for (int k = 0; k < doubles.Length; k++) doubles[k] = source[k];
        return new SparseRows(RowPointers, Columns, doubles);
    }

    /// <summary>The same rows with the entries rounded to float32 (a copy of the whole backing value array).</summary>
    /// <remarks>
    /// Rounding moves a row's sum away from 1 by up to about nnz(row) * 2^-24, so a model stored this way is a
    /// slightly different model: meant for timing the kernels (<c>tabrl bench --probabilities float32</c>) and for
    /// solves that accept errors of that size, not for the exact solvers.
    /// </remarks>
    public SparseRows ToSingle()
    {
        if (IsSingle) return this;
        var source = _values.Span;
        var singles = new float[source.Length];
        for (int k = 0; k < singles.Length; k++) singles[k] = (float)source[k];
        return new SparseRows(RowPointers, Columns, singles);
    }

    /// <summary>K when every row holds exactly K &gt; 0 entries (a garnet's rows), else 0.</summary>
    /// <remarks>Found once, when the view is made; the kernels then compute where a row starts instead of reading its pointer.</remarks>
    public int UniformRowLength { get; }

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

    private static int DetectUniformRowLength(ReadOnlySpan<long> rowPointers)
    {
        if (rowPointers.Length < 2) return 0;
        long length = rowPointers[1] - rowPointers[0];
        if (length <= 0 || length > int.MaxValue) return 0;
        for (int row = 1; row < rowPointers.Length - 1; row++)
            if (rowPointers[row + 1] - rowPointers[row] != length) return 0;
        return (int)length;
    }
}
