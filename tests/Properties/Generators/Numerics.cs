using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;

namespace TabularRL.Tests.Generators;

/// <summary>Small independent numerics for the tests: norms, rounding slack, dense solves, a plain Bellman backup.</summary>
public static class Numerics
{
    /// <summary>Unit roundoff of double precision, 2^-52 (machine epsilon).</summary>
    public const double Epsilon = 2.220446049250313e-16;

    /// <summary>Rounding slack for a fixed point of a gamma-contraction computed in floating point.</summary>
    /// <remarks>
    /// One backup computes r + gamma sum_k p_k v_k over at most 12 entries: its rounding error is at most about
    /// (12 + 4) eps (|r| + |v|) &lt;= 16 eps scale. A gamma-contraction applied with a per-step error delta has its
    /// computed fixed point within delta/(1-gamma) of the exact one, and certificates computed from rounded iterates
    /// inherit the same error. 32 eps scale/(1-gamma) is twice that: far below any tolerance the solvers are asked
    /// for (1e-9 relative), far above the rounding noise, so it can only hide rounding, never a wrong fixed point.
    /// </remarks>
    /// <param name="scale">max |r| + max |V| of the problem.</param>
    /// <param name="discount">gamma in [0, 1).</param>
    public static double Slack(double scale, double discount) => 32 * Epsilon * scale / (1 - discount);

    /// <summary>max_i |x_i - y_i|.</summary>
    public static double SupDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Assert.Equal(x.Length, y.Length);
        double d = 0;
        for (int i = 0; i < x.Length; i++) d = Math.Max(d, Math.Abs(x[i] - y[i]));
        return d;
    }

    /// <summary>max_i |x_i| (0 for empty).</summary>
    public static double SupNorm(ReadOnlySpan<double> x)
    {
        double d = 0;
        foreach (double v in x) d = Math.Max(d, Math.Abs(v));
        return d;
    }

    /// <summary>Solves M x = b by Gaussian elimination with partial pivoting (M is n x n, row-major, copied).</summary>
    public static double[] Solve(double[,] matrix, double[] b)
    {
        int n = b.Length;
        var m = (double[,])matrix.Clone();
        var x = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col])) pivot = r;
            if (pivot != col)
            {
                for (int c = 0; c < n; c++) (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
                (x[col], x[pivot]) = (x[pivot], x[col]);
            }
            for (int r = col + 1; r < n; r++)
            {
                double f = m[r, col] / m[col, col];
                if (f == 0) continue;
                for (int c = col; c < n; c++) m[r, c] -= f * m[col, c];
                x[r] -= f * x[col];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double sum = x[r];
            for (int c = r + 1; c < n; c++) sum -= m[r, c] * x[c];
            x[r] = sum / m[r, r];
        }
        return x;
    }

    /// <summary>V^pi = (I - gamma P_pi)^{-1} r_pi from the dense arrays of a case (stationary, discounted).</summary>
    public static double[] PolicyValues(ModelCase model, double[] policySA)
    {
        int S = model.StateCount, A = model.ActionCount;
        var rbar = model.ExpectedRewards();
        var m = new double[S, S];
        var r = new double[S];
        for (int s = 0; s < S; s++)
        {
            m[s, s] += 1;
            for (int a = 0; a < A; a++)
            {
                double pi = policySA[s * A + a];
                if (pi == 0) continue;
                r[s] += pi * rbar[s * A + a];
                for (int n = 0; n < S; n++)
                    m[s, n] -= model.Discount * pi * model.P(0, s, a, n);
            }
        }
        return Solve(m, r);
    }

    /// <summary>(T V)(s) and Q over the Mdp's stage-0 data, with the reference backend.</summary>
    public static (double[] V, double[] Q) HardBackup(Mdp mdp, double[] v)
    {
        var q = new double[mdp.StateCount * mdp.ActionCount];
        var next = new double[mdp.StateCount];
        new ReferenceBackend().HardBackup(mdp.ProblemAt(0), v, q, next, Memory<int>.Empty);
        return (next, q);
    }

    /// <summary>log sum_i exp(x_i) with the maximum subtracted; entries of negative infinity are left out.</summary>
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        double m = double.NegativeInfinity;
        foreach (double v in x) m = Math.Max(m, v);
        if (double.IsNegativeInfinity(m)) return m;
        double sum = 0;
        foreach (double v in x) sum += Math.Exp(v - m);
        return m + Math.Log(sum);
    }

    /// <summary>exp(x) - 1, accurate for small |x| (no Math.Expm1 in .NET).</summary>
    public static double Expm1(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;

    /// <summary>Creates the Bellman problem of a raw CSR, for kernel tests that bypass model validation.</summary>
    public static BellmanProblem Problem(long[] indptr, int[] columns, double[] values, double[] rewardsSA, int S, int A, double gamma)
        => new(new SparseRows(indptr, columns, values), rewardsSA, S, A, gamma);
}
