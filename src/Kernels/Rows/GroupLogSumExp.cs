using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TabularRL.Kernels.Rows;

/// <summary>
/// t log sum_a w(s,a) exp(Q(s,a)/t) for a group of up to <see cref="GroupSize"/> consecutive states, one state per
/// lane of a 512-bit vector, with the maximum subtracted (THEORY.md section 2).
/// </summary>
/// <remarks>
/// Per state: m = max of Q over actions of positive weight, x(a) = log w(a) + (Q(a) - m)/t (so x &lt;= 0 and nothing
/// overflows), V = m + t log sum_a exp(x(a)). Q arrives transposed, action-major ([a, g]), so that each step over
/// the actions is one vector operation across the group's states: per group, A exponentials (<see cref="VectorExp"/>)
/// and one logarithm of eight lanes, and no scalar loop. (A scalar exp and log per action would cost more than the sweep's memory
/// traffic.) Each lane sums its actions in order a = 0..A-1, as the oracle does, and lanes never mix, so a state's
/// value does not depend on the group it falls in, hence not on threads or partitions. Unused lanes are ignored.
/// </remarks>
internal static class GroupLogSumExp
{
    /// <summary>States per group: one 512-bit vector of doubles.</summary>
    public const int GroupSize = 8;

    /// <summary>Computes the values of one group.</summary>
    /// <param name="qAG">[A*8] Q(s_g, a) at a*8 + g.</param>
    /// <param name="logWeightsAG">[A*8] log w(s_g, a) likewise, -infinity for excluded actions; null for w = 1.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="temperature">t &gt; 0.</param>
    /// <returns>The eight values (lanes past the group's states are meaningless).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<double> Compute(double* qAG, double* logWeightsAG, int actionCount, double temperature)
    {
        var negativeInfinity = Vector512.Create(double.NegativeInfinity);
        var m = negativeInfinity;
        for (int a = 0; a < actionCount; a++)
        {
            var q = Vector512.Load(qAG + a * GroupSize);
            m = logWeightsAG == null
                ? Vector512.Max(m, q)
                : Vector512.Max(m, Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Load(logWeightsAG + a * GroupSize), negativeInfinity), q, negativeInfinity));
        }
        var inverse = Vector512.Create(1.0 / temperature);
        var sum = Vector512<double>.Zero;
        for (int a = 0; a < actionCount; a++)
        {
            var x = (Vector512.Load(qAG + a * GroupSize) - m) * inverse;
            if (logWeightsAG != null)
            {
                // An excluded action is skipped, not weighted: its Q may exceed m, and -inf + inf would be NaN.
                var logW = Vector512.Load(logWeightsAG + a * GroupSize);
                x = Vector512.ConditionalSelect(Vector512.GreaterThan(logW, negativeInfinity), logW + x, negativeInfinity);
            }
            sum += VectorExp.Exp(x);
        }
        // An infinite (or NaN) maximum is the value itself; the shifted exponentials would be NaN.
        var finite = Vector512.LessThan(Vector512.Abs(m), Vector512.Create(double.PositiveInfinity));
        return Vector512.ConditionalSelect(finite, m + Vector512.Create(temperature) * VectorLog.Log(sum), m);
    }
}
