using MathNet.Numerics.LinearAlgebra;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers.Linear;

/// <summary>Solves (I - gamma M) x = b for a row-stochastic M to machine precision, with a certified error bound.</summary>
/// <remarks>
/// Since ||M||_inf = 1, ||(I - gamma M)^{-1}||_inf &lt;= 1/(1-gamma), so ||x - x*||_inf &lt;= ||b - (I - gamma M) x||_inf / (1-gamma):
/// the bound is computed from the true residual, not from the solver's own estimate. For the transposed system
/// (occupancy measures) the same holds in the l1 norm. Small systems use a dense LU factorisation (Math.NET);
/// larger ones BiCGSTAB with iterative refinement: each round solves for the correction from the true residual,
/// until the residual reaches rounding level or stops falling.
/// </remarks>
internal static class PolicySystem
{
    private const int MaxRefinements = 12;

    // 2^-53, the unit roundoff of double precision.
    private const double UnitRoundoff = 1.1102230246251565e-16;

    /// <summary>The solution and its true residual norm (sup norm, or l1 for the transposed system).</summary>
    public readonly record struct Solution(double[] X, double Residual);

    public static Solution Solve(IBellmanBackend backend, SparseRows matrix, double discount, double[] b, int directMaxStates, double[]? initialGuess = null, bool l1 = false)
    {
        int n = b.Length;
        var solver = new BiCgStab(backend, matrix, discount);
        var x = initialGuess is null ? new double[n] : (double[])initialGuess.Clone();
        var residual = new double[n];
        Func<double[], double[]> correction = n <= directMaxStates
            ? DenseCorrection(matrix, discount)
            : r => solver.Solve(r, 1e-10, 20 * n + 1000);

        double norm = Residual(solver, b, x, residual, l1);
        for (int round = 0; round < MaxRefinements && norm > Floor(b, x, l1); round++)
        {
            var delta = correction(residual);
            var candidate = new double[n];
            for (int i = 0; i < n; i++) candidate[i] = x[i] + delta[i];
            var candidateResidual = new double[n];
            double candidateNorm = Residual(solver, b, candidate, candidateResidual, l1);
            // A non-finite correction means the solution overflows (e.g. r ~ 1e308 with gamma near 1): report it as a
            // non-finite residual so that the caller throws, instead of returning the last finite iterate as if solved.
            if (double.IsPositiveInfinity(candidateNorm)) return new Solution(candidate, double.PositiveInfinity);
            if (!(candidateNorm < norm)) break;
            bool slow = candidateNorm > 0.5 * norm;
            (x, residual, norm) = (candidate, candidateResidual, candidateNorm);
            if (slow) break;
        }
        return new Solution(x, norm);
    }

    // Rounding level of the residual: each entry of b - x + gamma M x is a sum of terms of size up to |b| + 2|x|.
    private static double Floor(double[] b, double[] x, bool l1)
    {
        double scale = 0;
        for (int i = 0; i < b.Length; i++)
            scale = l1 ? scale + Math.Abs(b[i]) + 2 * Math.Abs(x[i]) : Math.Max(scale, Math.Abs(b[i]) + 2 * Math.Abs(x[i]));
        return 8 * UnitRoundoff * scale;
    }

    private static double Residual(BiCgStab solver, double[] b, double[] x, double[] residual, bool l1)
    {
        solver.Apply(x, residual);
        double norm = 0;
        for (int i = 0; i < b.Length; i++)
        {
            residual[i] = b[i] - residual[i];
            norm = l1 ? norm + Math.Abs(residual[i]) : Math.Max(norm, Math.Abs(residual[i]));
        }
        return double.IsFinite(norm) ? norm : double.PositiveInfinity;
    }

    private static Func<double[], double[]> DenseCorrection(SparseRows matrix, double discount)
    {
        int n = matrix.RowCount;
        var dense = Matrix<double>.Build.DenseIdentity(n);
        var rowPointers = matrix.RowPointers.Span;
        var columns = matrix.Columns.Span;
        var values = matrix.Values.Span;
        for (int i = 0; i < n; i++)
            for (long k = rowPointers[i]; k < rowPointers[i + 1]; k++)
                dense[i, columns[(int)k]] -= discount * values[(int)k];
        var lu = dense.LU();
        return r => lu.Solve(Vector<double>.Build.Dense(r)).ToArray();
    }
}
