using System.Numerics.Tensors;

namespace TabularRL.Engine.Solvers.Linear;

/// <summary>Jacobi-preconditioned BiCGSTAB (van der Vorst 1992) for (I - gamma M) x = b, M applied by a backend.</summary>
/// <remarks>
/// Written here rather than taken from Math.NET because the products must run on the engine's backend, which Math.NET's
/// solvers cannot call. Right preconditioning keeps the tracked residual equal to that of the original system. The
/// vectors are allocated once per instance and reused across solves, so a policy-iteration run holds one set
/// (seven vectors of n) however many systems it solves; the shadow residual is b itself, which is left untouched.
/// </remarks>
internal sealed class BiCgStab
{
    private readonly double[] _x, _r, _p, _v, _yz, _s, _t, _inverseDiagonal;

    public BiCgStab(int size)
    {
        _x = new double[size];
        _r = new double[size];
        _p = new double[size];
        _v = new double[size];
        _yz = new double[size];
        _s = new double[size];
        _t = new double[size];
        _inverseDiagonal = new double[size];
    }

    /// <summary>y = (I - gamma M) x.</summary>
    public static void Apply(TransitionOperator matrix, double discount, double[] x, double[] y)
    {
        matrix.Multiply(x, y);
        for (int i = 0; i < y.Length; i++)
            y[i] = x[i] - discount * y[i];
    }

    /// <summary>Approximately solves (I - gamma M) x = b from x = 0 until ||r||_2 &lt;= relativeTolerance ||b||_2.</summary>
    /// <returns>The iterate, in a buffer of this instance that the next call overwrites; breakdown or the iteration
    /// limit returns the best iterate so far.</returns>
    public double[] Solve(TransitionOperator matrix, double discount, double[] b, double relativeTolerance, int maxIterations)
    {
        int n = b.Length;
        var (x, r, p, v, yz, s, t, inverseDiagonal) = (_x, _r, _p, _v, _yz, _s, _t, _inverseDiagonal);
        for (int i = 0; i < n; i++)
            inverseDiagonal[i] = 1 / (1 - discount * matrix.DiagonalAt(i));
        Array.Clear(x);
        Array.Clear(p);
        Array.Clear(v);
        b.CopyTo(r, 0);
        double target = relativeTolerance * TensorPrimitives.Norm(b);
        if (target == 0) return x;
        double rhoPrevious = 1, alpha = 1, omega = 1;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            double rho = TensorPrimitives.Dot(b, r);
            if (rho == 0 || !double.IsFinite(rho)) break;
            double beta = rho / rhoPrevious * (alpha / omega);
            for (int i = 0; i < n; i++) p[i] = r[i] + beta * (p[i] - omega * v[i]);
            TensorPrimitives.Multiply(p, inverseDiagonal, yz);
            Apply(matrix, discount, yz, v);
            double denominator = TensorPrimitives.Dot(b, v);
            if (denominator == 0 || !double.IsFinite(denominator)) break;
            alpha = rho / denominator;
            // x takes its alpha step now, so that the buffer of y is free for z below.
            for (int i = 0; i < n; i++)
            {
                x[i] += alpha * yz[i];
                s[i] = r[i] - alpha * v[i];
            }
            if (TensorPrimitives.Norm(s) <= target) break;
            TensorPrimitives.Multiply(s, inverseDiagonal, yz);
            Apply(matrix, discount, yz, t);
            double tt = TensorPrimitives.Dot(t, t);
            if (tt == 0 || !double.IsFinite(tt)) break;
            omega = TensorPrimitives.Dot(t, s) / tt;
            for (int i = 0; i < n; i++)
            {
                x[i] += omega * yz[i];
                r[i] = s[i] - omega * t[i];
            }
            if (TensorPrimitives.Norm(r) <= target || omega == 0) break;
            rhoPrevious = rho;
        }
        return x;
    }
}
