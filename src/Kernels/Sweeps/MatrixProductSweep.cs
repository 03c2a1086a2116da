using System.Runtime.CompilerServices;
using TabularRL.Kernels.Parallelism;
using TabularRL.Kernels.Rows;

namespace TabularRL.Kernels.Sweeps;

/// <summary>The sparse product y = M x over all rows of a CSR matrix, rows split by nnz.</summary>
internal sealed unsafe class MatrixProductSweep(WorkerTeam team) : PartitionedSweep(team)
{
    private SparseRows _matrix;
    private ReadOnlyMemory<double> _x;
    private Memory<double> _y;

    /// <summary>Computes y = M x; see <see cref="IBellmanBackend.Multiply"/>.</summary>
    public void Run(SparseRows matrix, ReadOnlyMemory<double> x, Memory<double> y)
    {
        lock (Gate)
        {
            (_matrix, _x, _y) = (matrix, x, y);
            try
            {
                RunAll(matrix.RowPointers.Span, matrix.RowCount, rowsPerState: 1);
            }
            finally
            {
                (_matrix, _x, _y) = (default, default, default);
            }
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override double Sweep(int start, int end, int part)
    {
        using var pins = new RowPins(_matrix);
        fixed (double* x = _x.Span)
        fixed (double* y = _y.Span)
        {
            var rows = pins.Rows;
            for (int row = start; row < end; row++)
                y[row] = rows.Expectation(row, x);
        }
        return 0;
    }
}
