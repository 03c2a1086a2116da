using TabularRL.Kernels;

namespace TabularRL.Tests.Backends;

/// <summary>
/// How far a correct backend's outputs may lie from the oracle's, entry by entry: worst-case rounding bounds, so that
/// any order of summation (SIMD lanes, several accumulators, fused multiply-adds, another split into blocks) passes
/// and a kernel that drops, repeats or misplaces a term fails. Every contract test takes its tolerances from here.
/// </summary>
/// <remarks>
/// <para>
/// Standard model (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., sections 2.2 and 3.1): each
/// operation gives fl(x op y) = (x op y)(1 + d) with |d| &lt;= u = 2^-53, and gamma_k = k u / (1 - k u). Near underflow a
/// product also gets an absolute error of at most eta = 2^-1075 (a sum of subnormals is exact); eta is below
/// <see cref="double.Epsilon"/> = 2^-1074, which is used for it. One ulp is at most 2u relative.
/// </para>
/// <para>
/// Row expectation. Evaluated in any order, E = sum_{k&lt;n} p_k v[c_k] satisfies |fl(E) - E| &lt;= gamma_n M with
/// M = sum_k |p_k v[c_k]| (Higham (3.5): n - 1 additions, one rounding per product; a fused multiply-add only removes
/// roundings). Two backends are each within that of the exact E, so they differ by at most 2 gamma_n M.
/// </para>
/// <para>
/// Q = r + gamma E: with E' = fl(E), fl(Q) = (r + gamma E' (1 + d1))(1 + d2), so
/// |fl(Q) - Q| &lt;= gamma gamma_n M + u gamma M + u (|r| + gamma M) &lt;= gamma_{n+2} gamma M + u |r| (to first order;
/// the excess of gamma_{n+2} over gamma_n + 2u covers the second). Scaling p by gamma first, or a fused multiply-add
/// for the last step, stays within the same bound. The reward passes through one rounding only, so it is not
/// multiplied by n. Two backends: tolQ = 2 (gamma_{n+2} gamma M + u |r|) + 2 (n + 2) eta.
/// </para>
/// <para>
/// Hard backup. max is exact, so |max_a Q'_a - max_a Q''_a| &lt;= max_a |Q'_a - Q''_a| &lt;= max_a tolQ_a (over the
/// finite entries: an entry of negative infinity is the maximum only when all are). Argmax: if one backend reports c
/// where the oracle reports b, then Q'_c &gt;= Q'_b, hence Q_c(oracle) &gt;= Q_b(oracle) - tolQ_b - tolQ_c: c must be a
/// maximiser within tolQ_b + tolQ_c, and otherwise must equal b.
/// </para>
/// <para>
/// Log-sum-exp (soft and KL backups). V(Q) = m + t log sum_a w_a exp((Q_a - m)/t), m the largest Q on the support of
/// w, is 1-Lipschitz in the max-norm of Q (its gradient is a probability vector), so the two backends' Q differences
/// move V by at most max_a tolQ_a over the support. On top, each backend rounds while evaluating V from its own Q:
/// the exponent x_a = log w_a + (Q_a - m)/t has absolute error at most u |log w_a| + 4u |Q_a - m|/t (subtract, divide
/// or multiply by 1/t, add); exp is accurate to k = <see cref="ExpLogUlps"/> ulps (2k u relative); the sum of the A'
/// positive terms (A' = size of the support) adds gamma_{A'} relative; an absolute error in L = log(sum) equals the
/// relative error of the sum, plus 2k u |L| from log itself, with |L| &lt;= Lmax = log A' + max_a |log w_a|; t L and
/// m + t L add u t |L| and u (|m| + t |L|). Multiplying the errors in L by t:
///   rho = u (|m| + 4 spread) + t (u max|log w| + 2k u + gamma_{A'} + (2k + 2) u Lmax),  spread = max_a |Q_a - m|,
/// and tolV = max_a tolQ_a + 2 rho. Vectorised exp and log are accurate to a few ulps; the oracle's to one.
/// </para>
/// <para>
/// Policy backup. V = sum_a pi_a Q_a over the actions with pi_a != 0 (A' of them): the Q differences move V by at most
/// sum_a pi_a tolQ_a, and each backend's A' products and additions by gamma_{A'} sum_a |pi_a Q_a|.
/// </para>
/// <para>
/// Gauss-Seidel. State s reads the values the sweep has already written for states before it, so differences
/// propagate: e_s &lt;= max_a (tolQ_{s,a} + gamma sum_k p_k e_{c_k}) over the entries with c_k &lt; s, computed state by
/// state with p_k &gt;= 0. This is the bound itself, not a worst case over S.
/// </para>
/// <para>
/// Returned change. max_s fl(|vOut_s - v_s|): each backend's subtraction rounds by u |vOut_s - v_s|, so the two
/// changes differ by at most max_s (e_s + u (2 |vOut_s - v_s| + e_s)), with e_s the value bound of state s.
/// </para>
/// </remarks>
internal static class Tolerances
{
    /// <summary>Unit roundoff of double precision, 2^-53.</summary>
    public const double U = 1.1102230246251565e-16;

    /// <summary>Accuracy of exp and log, in ulps, allowed to a vectorised backend.</summary>
    public const int ExpLogUlps = 4;

    /// <summary>gamma_k = k u / (1 - k u), Higham's bound on k successive roundings.</summary>
    public static double Gamma(int k) => k * U / (1 - k * U);

    /// <summary>[S*A] bound on |Q_backend - Q_oracle| for each row, given the values read.</summary>
    public static double[] QSA(in BellmanProblem problem, ReadOnlySpan<double> vS)
    {
        var rowPointers = problem.Transitions.RowPointers.Span;
        var columns = problem.Transitions.Columns.Span;
        var probabilities = problem.Transitions.ToDouble().Values.Span;
        var rewards = problem.RewardsSA.Span;
        var bound = new double[problem.Transitions.RowCount];
        for (int row = 0; row < bound.Length; row++)
        {
            int start = (int)rowPointers[row], end = (int)rowPointers[row + 1];
            double magnitude = 0;
            for (int k = start; k < end; k++)
                magnitude += Math.Abs(probabilities[k] * vS[columns[k]]);
            bound[row] = QBound(end - start, rewards[row], problem.Discount, magnitude);
        }
        return bound;
    }

    /// <summary>[S] max_a tolQ over the actions whose oracle Q is finite.</summary>
    public static double[] MaxOverActions(ReadOnlySpan<double> tolQSA, ReadOnlySpan<double> qRefSA, int stateCount, int actionCount)
    {
        var bound = new double[stateCount];
        for (int s = 0; s < stateCount; s++)
            for (int a = 0; a < actionCount; a++)
                if (double.IsFinite(qRefSA[s * actionCount + a]))
                    bound[s] = Math.Max(bound[s], tolQSA[s * actionCount + a]);
        return bound;
    }

    /// <summary>[S] bound on the value of a soft (empty <paramref name="logWeightsSA"/>) or KL backup.</summary>
    /// <param name="t">Temperature or coefficient.</param>
    /// <param name="logWeightsSA">[S*A] log reference weights (negative infinity off the support), or empty for uniform weights 1.</param>
    /// <param name="qRefSA">[S*A] the oracle's Q.</param>
    /// <param name="tolQSA">[S*A] from <see cref="QSA"/>.</param>
    public static double[] LogSumExp(int stateCount, int actionCount, double t, ReadOnlySpan<double> logWeightsSA,
        ReadOnlySpan<double> qRefSA, ReadOnlySpan<double> tolQSA)
    {
        var bound = new double[stateCount];
        for (int s = 0; s < stateCount; s++)
        {
            double m = double.NegativeInfinity, maxLogWeight = 0, tolQ = 0;
            int support = 0;
            for (int a = 0; a < actionCount; a++)
            {
                int i = s * actionCount + a;
                double logWeight = logWeightsSA.IsEmpty ? 0 : logWeightsSA[i];
                if (double.IsNegativeInfinity(logWeight)) continue;
                support++;
                maxLogWeight = Math.Max(maxLogWeight, Math.Abs(logWeight));
                if (double.IsFinite(qRefSA[i]))
                {
                    m = Math.Max(m, qRefSA[i]);
                    tolQ = Math.Max(tolQ, tolQSA[i]);
                }
            }
            double spread = 0;
            for (int a = 0; a < actionCount; a++)
            {
                int i = s * actionCount + a;
                if ((logWeightsSA.IsEmpty || !double.IsNegativeInfinity(logWeightsSA[i])) && double.IsFinite(qRefSA[i]))
                    spread = Math.Max(spread, m - qRefSA[i]);
            }
            double lMax = Math.Log(support) + maxLogWeight;
            const double k = ExpLogUlps;
            double rho = U * (Math.Abs(m) + 4 * spread)
                + t * (U * maxLogWeight + 2 * k * U + Gamma(support) + (2 * k + 2) * U * lMax);
            bound[s] = tolQ + 2 * rho;
        }
        return bound;
    }

    /// <summary>[S] bound on the value of a stochastic-policy backup.</summary>
    public static double[] Policy(int stateCount, int actionCount, ReadOnlySpan<double> policySA, ReadOnlySpan<double> qRefSA, ReadOnlySpan<double> tolQSA)
    {
        var bound = new double[stateCount];
        for (int s = 0; s < stateCount; s++)
        {
            double propagated = 0, magnitude = 0;
            int support = 0;
            for (int a = 0; a < actionCount; a++)
            {
                int i = s * actionCount + a;
                if (policySA[i] == 0) continue;
                support++;
                propagated += policySA[i] * tolQSA[i];
                magnitude += Math.Abs(policySA[i] * qRefSA[i]);
            }
            bound[s] = propagated + 2 * Gamma(support) * magnitude;
        }
        return bound;
    }

    /// <summary>[S] bound on the value of a deterministic-policy backup: tolQ of the chosen row.</summary>
    public static double[] Deterministic(int stateCount, int actionCount, ReadOnlySpan<int> actionsS, ReadOnlySpan<double> tolQSA)
    {
        var bound = new double[stateCount];
        for (int s = 0; s < stateCount; s++)
            bound[s] = tolQSA[s * actionCount + actionsS[s]];
        return bound;
    }

    /// <summary>
    /// Bounds for a Gauss-Seidel sweep from <paramref name="vInS"/> whose oracle result is <paramref name="vOutRefS"/>:
    /// per-state value bounds with propagation, per-row Q bounds, and the Q each row sees (read in the sweep's order).
    /// </summary>
    public static (double[] TolV, double[] TolQSA, double[] QSA) GaussSeidel(in BellmanProblem problem, ReadOnlySpan<double> vInS, ReadOnlySpan<double> vOutRefS)
    {
        int stateCount = problem.StateCount, actionCount = problem.ActionCount;
        var rowPointers = problem.Transitions.RowPointers.Span;
        var columns = problem.Transitions.Columns.Span;
        var probabilities = problem.Transitions.ToDouble().Values.Span;
        var rewards = problem.RewardsSA.Span;
        var tolV = new double[stateCount];
        var tolQ = new double[stateCount * actionCount];
        var q = new double[stateCount * actionCount];
        for (int s = 0; s < stateCount; s++)
        {
            for (int a = 0; a < actionCount; a++)
            {
                int row = s * actionCount + a;
                int start = (int)rowPointers[row], end = (int)rowPointers[row + 1];
                double magnitude = 0, propagated = 0, expected = 0;
                for (int k = start; k < end; k++)
                {
                    int c = columns[k];
                    double value = c < s ? vOutRefS[c] : vInS[c];
                    expected += probabilities[k] * value;
                    magnitude += Math.Abs(probabilities[k] * value);
                    if (c < s) propagated += probabilities[k] * tolV[c];
                }
                q[row] = rewards[row] + problem.Discount * expected;
                tolQ[row] = QBound(end - start, rewards[row], problem.Discount, magnitude) + problem.Discount * propagated;
                if (double.IsFinite(q[row]))
                    tolV[s] = Math.Max(tolV[s], tolQ[row]);
            }
        }
        return (tolV, tolQ, q);
    }

    /// <summary>[rows] bound on |y_backend - y_oracle| for y = M x: 2 gamma_n M + 2 n eta per row of n entries.</summary>
    public static double[] Multiply(SparseRows matrix, ReadOnlySpan<double> x)
    {
        var rowPointers = matrix.RowPointers.Span;
        var columns = matrix.Columns.Span;
        var values = matrix.ToDouble().Values.Span;
        var bound = new double[matrix.RowCount];
        for (int row = 0; row < bound.Length; row++)
        {
            int start = (int)rowPointers[row], end = (int)rowPointers[row + 1];
            double magnitude = 0;
            for (int k = start; k < end; k++)
                magnitude += Math.Abs(values[k] * x[columns[k]]);
            bound[row] = 2 * Gamma(end - start) * magnitude + (end - start) * double.Epsilon;
        }
        return bound;
    }

    /// <summary>Bound on |change_backend - change_oracle| given the per-state value bounds.</summary>
    public static double Change(ReadOnlySpan<double> vInS, ReadOnlySpan<double> vOutRefS, ReadOnlySpan<double> tolVS)
    {
        double bound = 0;
        for (int s = 0; s < vInS.Length; s++)
            if (double.IsFinite(vOutRefS[s]))
                bound = Math.Max(bound, tolVS[s] + U * (2 * Math.Abs(vOutRefS[s] - vInS[s]) + tolVS[s]));
        return bound;
    }

    /// <summary>Whether action <paramref name="reported"/> may stand where the oracle reports <paramref name="oracle"/>: equal, or a maximiser within the Q bounds.</summary>
    public static bool ArgmaxAcceptable(ReadOnlySpan<double> qRefA, ReadOnlySpan<double> tolQA, int oracle, int reported)
        => reported == oracle
            || (reported >= 0 && reported < qRefA.Length && qRefA[oracle] - qRefA[reported] <= tolQA[oracle] + tolQA[reported]);

    // tolQ = 2 (gamma_{n+2} gamma M + u |r|) + 2 (n + 2) eta, with 2 eta <= double.Epsilon.
    private static double QBound(int length, double reward, double discount, double magnitude)
        => 2 * (Gamma(length + 2) * discount * magnitude + U * Math.Abs(reward)) + (length + 2) * double.Epsilon;
}
