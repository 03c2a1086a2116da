using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers.Linear;

/// <summary>A row-stochastic (or, transposed, column-stochastic) n x n matrix M, applied through a backend.</summary>
/// <remarks>The policy systems (I - gamma M) x = b only need products, the diagonal (for Jacobi) and, when small, the entries.</remarks>
internal abstract class TransitionOperator
{
    /// <summary>n.</summary>
    public abstract int Size { get; }

    /// <summary>y = M x.</summary>
    public abstract void Multiply(double[] x, double[] y);

    /// <summary>M(i, i).</summary>
    public abstract double DiagonalAt(int i);

    /// <summary>The entries as CSR, for a dense factorisation of a small system.</summary>
    public abstract SparseRows ToMatrix();

    /// <summary>The entry of a sorted CSR row at <paramref name="column"/>, 0 if absent.</summary>
    protected static double EntryAt(in SparseRows rows, long row, int column)
    {
        var rowPointers = rows.RowPointers.Span;
        int begin = (int)rowPointers[(int)row], length = (int)(rowPointers[(int)row + 1] - begin);
        int k = rows.Columns.Span.Slice(begin, length).BinarySearch(column);
        return k >= 0 ? rows.Values.Span[begin + k] : 0;
    }
}

/// <summary>An explicit CSR matrix (a stochastic policy's P_pi, or its transpose for occupancy measures).</summary>
internal sealed class MatrixOperator(IBellmanBackend backend, SparseRows matrix) : TransitionOperator
{
    /// <inheritdoc/>
    public override int Size => matrix.RowCount;

    /// <inheritdoc/>
    public override void Multiply(double[] x, double[] y) => backend.Multiply(matrix, x, y);

    /// <inheritdoc/>
    public override double DiagonalAt(int i) => EntryAt(matrix, i, i);

    /// <inheritdoc/>
    public override SparseRows ToMatrix() => matrix;
}

/// <summary>P_pi of a deterministic policy, read straight from the model's rows s*A + pi(s): no copy of the rows.</summary>
internal sealed class DeterministicPolicyOperator(IBellmanBackend backend, BellmanProblem problem, int[] actionsS) : TransitionOperator
{
    /// <inheritdoc/>
    public override int Size => problem.StateCount;

    /// <inheritdoc/>
    public override void Multiply(double[] x, double[] y) => backend.PolicyMultiply(problem, actionsS, x, y);

    /// <inheritdoc/>
    public override double DiagonalAt(int i) => EntryAt(problem.Transitions, (long)i * problem.ActionCount + actionsS[i], i);

    /// <inheritdoc/>
    public override SparseRows ToMatrix() => PolicyMatrix.Build(problem, Greedy.OneHot(actionsS, problem.ActionCount)).Matrix;
}
