using MathNet.Numerics.LinearAlgebra;

namespace TabularRL.Engine.Solvers.Linear;

/// <summary>Solves (I - gamma M) x = b for a stochastic M to machine precision, with a certified error bound.</summary>
/// <remarks>
/// Since ||M||_inf = 1, ||(I - gamma M)^{-1}||_inf &lt;= 1/(1-gamma), so ||x - x*||_inf &lt;= ||b - (I - gamma M) x||_inf / (1-gamma):
/// the bound is computed from the true residual, not from the solver's own estimate. For the transposed system
/// (occupancy measures) the same holds in the l1 norm. Small systems use a dense LU factorisation (Math.NET);
/// larger ones BiCGSTAB with iterative refinement: each round solves for the correction from the true residual,
/// until the residual reaches rounding level or stops falling. This is the inexact-evaluation policy iteration of
/// distributed MDP solvers, made exact by the refinement. An instance owns its vectors and reuses them for every
/// system it solves (policy iteration solves one per improvement step), so a solve allocates nothing of size n.
/// </remarks>
internal sealed class PolicySystem(int size)
{
    private const int MaxRefinements = 12;

    // 2^-53, the unit roundoff of double precision.
    private const double UnitRoundoff = 1.1102230246251565e-16;

    private double[] _x = new double[size], _residual = new double[size];
    private double[] _candidate = new double[size], _candidateResidual = new double[size];
    private BiCgStab? _krylov;

    /// <summary>The solution and its true residual norm (sup norm, or l1 for the transposed system).</summary>
    /// <param name="X">The solution, in a buffer of the instance that the next solve overwrites.</param>
    /// <param name="Residual">||b - (I - gamma M) x||, infinite if x is not finite.</param>
    public readonly record struct Solution(double[] X, double Residual);

    /// <summary>Solves the system from <paramref name="initialGuess"/> (zero if empty).</summary>
    public Solution Solve(TransitionOperator matrix, double discount, double[] b, ReadOnlySpan<double> initialGuess, int directMaxStates, bool l1 = false)
    {
        int n = b.Length;
        if (initialGuess.IsEmpty) Array.Clear(_x);
        else initialGuess.CopyTo(_x);
        Func<double[], double[]> correction = n <= directMaxStates
            ? DenseCorrection(matrix, discount)
            : r => (_krylov ??= new BiCgStab(n)).Solve(matrix, discount, r, 1e-10, 20 * n + 1000);

        double norm = Residual(matrix, discount, b, _x, _residual, l1);
        for (int round = 0; round < MaxRefinements && norm > Floor(b, _x, l1); round++)
        {
            var delta = correction(_residual);
            for (int i = 0; i < n; i++) _candidate[i] = _x[i] + delta[i];
            double candidateNorm = Residual(matrix, discount, b, _candidate, _candidateResidual, l1);
            // A non-finite correction means the solution overflows (e.g. r ~ 1e308 with gamma near 1): report it as a
            // non-finite residual so that the caller throws, instead of returning the last finite iterate as if solved.
            if (double.IsPositiveInfinity(candidateNorm)) return new Solution(_candidate, double.PositiveInfinity);
            if (!(candidateNorm < norm)) break;
            bool slow = candidateNorm > 0.5 * norm;
            (_x, _candidate) = (_candidate, _x);
            (_residual, _candidateResidual) = (_candidateResidual, _residual);
            norm = candidateNorm;
            if (slow) break;
        }
        return new Solution(_x, norm);
    }

    // Rounding level of the residual: each entry of b - x + gamma M x is a sum of terms of size up to |b| + 2|x|.
    private static double Floor(double[] b, double[] x, bool l1)
    {
        double scale = 0;
        for (int i = 0; i < b.Length; i++)
            scale = l1 ? scale + Math.Abs(b[i]) + 2 * Math.Abs(x[i]) : Math.Max(scale, Math.Abs(b[i]) + 2 * Math.Abs(x[i]));
        return 8 * UnitRoundoff * scale;
    }

    private static double Residual(TransitionOperator matrix, double discount, double[] b, double[] x, double[] residual, bool l1)
    {
        BiCgStab.Apply(matrix, discount, x, residual);
        double norm = 0;
        for (int i = 0; i < b.Length; i++)
        {
            residual[i] = b[i] - residual[i];
            norm = l1 ? norm + Math.Abs(residual[i]) : Math.Max(norm, Math.Abs(residual[i]));
        }
        return double.IsFinite(norm) ? norm : double.PositiveInfinity;
    }

    private static Func<double[], double[]> DenseCorrection(TransitionOperator matrix, double discount)
    {
        var rows = matrix.ToMatrix();
        int n = rows.RowCount;
        var dense = Matrix<double>.Build.DenseIdentity(n);
        var rowPointers = rows.RowPointers.Span;
        var columns = rows.Columns.Span;
        var values = rows.Values.Span;
        for (int i = 0; i < n; i++)
            for (long k = rowPointers[i]; k < rowPointers[i + 1]; k++)
                dense[i, columns[(int)k]] -= discount * values[(int)k];
        var lu = dense.LU();
        return r => lu.Solve(Vector<double>.Build.Dense(r)).ToArray();
    }
}
