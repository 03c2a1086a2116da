using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using TabularRL.Kernels.Measurement;

namespace TabularRL.Kernels.Rows;

/// <summary>Raw pointers to pinned CSR arrays, so that the sweeps' inner loops run without bounds checks.</summary>
/// <remarks>
/// Valid only while the <see cref="RowPins"/> that made it is alive; offsets are absolute and 64-bit. Exactly one of
/// <c>values</c> (float64 entries) and <c>singles</c> (float32 entries) is used: <c>singles</c> when it is not null.
/// When every row holds the same number of entries (<see cref="SparseRows.UniformRowLength"/>, as in a garnet), row r
/// starts at <c>firstOffset + r * uniformLength</c> and the row pointers are not read at all: the ELL layout without
/// its padding, 8 bytes per row less to stream, and two loads per row less (3-8% faster hard sweeps on the S = 1e5
/// garnets: <c>tabrl bench FILE --threads 1</c>, best of three runs each, benchmarks/README.md). These tests are the same for every row of a sweep, so the
/// branch predictor settles on them at once. <c>prefetch</c> says whether <see cref="Prefetch"/> issues requests
/// (<see cref="PrefetchPays"/>).
/// </remarks>
internal readonly unsafe struct PinnedRows(long* rowPointers, int* columns, double* values, float* singles, long uniformLength,
    long firstOffset, bool prefetch)
{
    /// <summary>How far ahead of the rows in use <see cref="Prefetch"/> requests entries, in entries (4 KiB of values).</summary>
    /// <remarks>
    /// A sweep streams 12 bytes per entry but spends enough instructions per entry that the out-of-order window
    /// alone keeps too few cache misses in flight; requests this far ahead cover the memory latency. Measured on the
    /// 2-core development VM (garnet S = 1e5, W = 1000, 2 threads): 10-15% faster than without, over 256 B to 8 KiB.
    /// The requests are non-temporal, so that entries used once do not push V (read again and again, at random for
    /// non-local models) out of L2; measured about 10% faster again than ordinary prefetches on the local garnet.
    /// Call it once per state, just before the state's rows: requesting a group of eight states' lines in one burst
    /// (60 requests) made the soft sweep 34-40% slower than the same requests spread over the group's states
    /// (<c>tabrl bench FILE --threads 1</c>: 7.38 against 5.51 ms local, 10.31 against 7.34 ms random), as the burst
    /// outruns the core's queue of outstanding misses.
    /// </remarks>
    private const long PrefetchDistance = 512;

    /// <summary>Whether software prefetch pays for <paramref name="matrix"/>: its entries fill more than half the last-level cache.</summary>
    /// <remarks>
    /// A model whose entries stay in the last-level cache from one sweep to the next has nothing to hide: the requests
    /// then only cost instructions, and the non-temporal ones may also let lines leave the cache that the next sweep
    /// reads again. Measured on the development VM (32 MiB L3; <c>tabrl bench FILE --methods hard</c> against the C
    /// loop of benchmarks/reference, five to ten paired runs, medians): on the random garnets with S = 1e4 and 2e4
    /// (4.8 and 9.6 MB of entries) the hard sweep was 8-16% faster without prefetch, at one and two threads; at
    /// S = 4e4 (19 MB) it was 25-45% slower without, as at S = 1e5 and above. Half the cache sits between the two.
    /// </remarks>
    public static bool PrefetchPays(in SparseRows matrix)
        => matrix.NonZeroCount * ((matrix.IsSingle ? sizeof(float) : sizeof(double)) + sizeof(int)) > LastLevelCache.Bytes / 2;

    /// <summary>The same pointers with <see cref="Prefetch"/> switched off, for rows that are read again while still cached.</summary>
    public PinnedRows WithoutPrefetch() => new(rowPointers, columns, values, singles, uniformLength, firstOffset, prefetch: false);

    /// <summary>Requests the entries <see cref="PrefetchDistance"/> past those of rows [firstRow, endRow), which later rows will need.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(long firstRow, long endRow)
    {
        if (!prefetch) return;
        if (singles == null)
        {
            PrefetchEntries(values, columns, Start(firstRow), Start(endRow));
            return;
        }
        if (!Sse.IsSupported) return;
        long begin = Start(firstRow) + PrefetchDistance, end = Start(endRow) + PrefetchDistance;
        for (long k = begin; k < end; k += 16) Sse.PrefetchNonTemporal(singles + k);
        for (long k = begin; k < end; k += 16) Sse.PrefetchNonTemporal(columns + k);
    }

    /// <summary>As <see cref="Prefetch"/>, for float64 entries [begin, end) given by their offsets; callers check <see cref="PrefetchPays"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PrefetchEntries(double* values, int* columns, long begin, long end)
    {
        if (!Sse.IsSupported) return;
        begin += PrefetchDistance;
        end += PrefetchDistance;
        // One request per 64-byte line: 8 doubles, 16 floats or columns. Prefetches never fault, so running past the
        // arrays is harmless.
        for (long k = begin; k < end; k += 8) Sse.PrefetchNonTemporal(values + k);
        for (long k = begin; k < end; k += 16) Sse.PrefetchNonTemporal(columns + k);
    }

    /// <summary>The absolute offset of the first entry of <paramref name="row"/> (of the end, for row = RowCount).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Start(long row) => uniformLength != 0 ? firstOffset + row * uniformLength : rowPointers[row];

    /// <summary>sum_k values[k] * x[columns[k]] over the entries of <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Expectation(long row, double* x)
    {
        long begin = Start(row), length = uniformLength != 0 ? uniformLength : rowPointers[row + 1] - begin;
        return singles == null
            ? RowDot.Compute(values + begin, columns + begin, length, x)
            : RowDot.Compute(singles + begin, columns + begin, length, x);
    }
}

/// <summary>Pins the arrays of a <see cref="SparseRows"/> for as long as the <see cref="Rows"/> pointers are in use.</summary>
/// <remarks>
/// One pin per array per sweep part, instead of a <c>fixed</c> statement per array in every kernel. Pinning array-backed
/// memory takes a GC handle and allocates nothing on the managed heap.
/// </remarks>
internal readonly unsafe struct RowPins : IDisposable
{
    private readonly MemoryHandle _rowPointers, _columns, _values;

    /// <summary>Pins the row pointers, columns and whichever value array <paramref name="matrix"/> stores.</summary>
    public RowPins(in SparseRows matrix)
    {
        _rowPointers = matrix.RowPointers.Pin();
        _columns = matrix.Columns.Pin();
        _values = matrix.IsSingle ? matrix.SingleValues.Pin() : matrix.DoubleValues.Pin();
        long* rowPointers = (long*)_rowPointers.Pointer;
        void* values = _values.Pointer;
        Rows = new PinnedRows(rowPointers, (int*)_columns.Pointer, matrix.IsSingle ? null : (double*)values,
            matrix.IsSingle ? (float*)values : null, matrix.UniformRowLength, rowPointers[0], PinnedRows.PrefetchPays(matrix));
    }

    /// <summary>Pointers into the pinned arrays.</summary>
    public PinnedRows Rows { get; }

    /// <summary>Releases the pins.</summary>
    public void Dispose()
    {
        _rowPointers.Dispose();
        _columns.Dispose();
        _values.Dispose();
    }
}
