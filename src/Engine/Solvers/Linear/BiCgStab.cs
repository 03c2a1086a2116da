using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers.Linear;

/// <summary>Jacobi-preconditioned BiCGSTAB (van der Vorst 1992) for (I - gamma M) x = b, with M applied by a backend.</summary>
/// <remarks>
/// Written here rather than taken from Math.NET because the matrix-vector product must run on the engine's backend
/// (the CPU kernels now, the GPU later), which Math.NET's solvers cannot call. Right preconditioning keeps the
/// residual that the loop tracks equal to the residual of the original system.
/// </remarks>
internal sealed class BiCgStab
{
    private readonly IBellmanBackend _backend;
    private readonly SparseRows _matrix;
    private readonly double _discount;
    private readonly double[] _inverseDiagonal;
    private readonly double[] _product;

    public BiCgStab(IBellmanBackend backend, SparseRows matrix, double discount)
    {
        _backend = backend;
        _matrix = matrix;
        _discount = discount;
        int n = matrix.RowCount;
        _product = new double[n];
        _inverseDiagonal = new double[n];
        var rowPointers = matrix.RowPointers.Span;
        var columns = matrix.Columns.Span;
        var values = matrix.Values.Span;
        for (int i = 0; i < n; i++)
        {
            double diagonal = 1;
            for (long k = rowPointers[i]; k < rowPointers[i + 1]; k++)
                if (columns[(int)k] == i) diagonal -= discount * values[(int)k];
            _inverseDiagonal[i] = 1 / diagonal;
        }
    }

    /// <summary>y = (I - gamma M) x.</summary>
    public void Apply(double[] x, double[] y)
    {
        _backend.Multiply(_matrix, x, _product);
        for (int i = 0; i < y.Length; i++)
            y[i] = x[i] - _discount * _product[i];
    }

    /// <summary>Approximately solves A x = b from x = 0 until ||r||_2 &lt;= relativeTolerance ||b||_2.</summary>
    /// <returns>The iterate; breakdown or the iteration limit returns the best iterate so far.</returns>
    public double[] Solve(ReadOnlySpan<double> b, double relativeTolerance, int maxIterations)
    {
        int n = b.Length;
        var x = new double[n];
        var r = b.ToArray();
        var rHat = b.ToArray();
        var p = new double[n];
        var v = new double[n];
        var y = new double[n];
        var z = new double[n];
        var s = new double[n];
        var t = new double[n];
        double target = relativeTolerance * Norm(b);
        if (target == 0) return x;
        double rhoPrevious = 1, alpha = 1, omega = 1;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            double rho = Dot(rHat, r);
            if (rho == 0 || !double.IsFinite(rho)) break;
            double beta = rho / rhoPrevious * (alpha / omega);
            for (int i = 0; i < n; i++) p[i] = r[i] + beta * (p[i] - omega * v[i]);
            for (int i = 0; i < n; i++) y[i] = _inverseDiagonal[i] * p[i];
            Apply(y, v);
            double denominator = Dot(rHat, v);
            if (denominator == 0 || !double.IsFinite(denominator)) break;
            alpha = rho / denominator;
            for (int i = 0; i < n; i++) s[i] = r[i] - alpha * v[i];
            if (Norm(s) <= target)
            {
                for (int i = 0; i < n; i++) x[i] += alpha * y[i];
                break;
            }
            for (int i = 0; i < n; i++) z[i] = _inverseDiagonal[i] * s[i];
            Apply(z, t);
            double tt = Dot(t, t);
            if (tt == 0 || !double.IsFinite(tt)) break;
            omega = Dot(t, s) / tt;
            for (int i = 0; i < n; i++)
            {
                x[i] += alpha * y[i] + omega * z[i];
                r[i] = s[i] - omega * t[i];
            }
            if (Norm(r) <= target || omega == 0) break;
            rhoPrevious = rho;
        }
        return x;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    private static double Norm(ReadOnlySpan<double> a) => System.Numerics.Tensors.TensorPrimitives.Norm(a);
}
