using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TabularRL.Kernels.Rows;

/// <summary>
/// t log sum_a w(s,a) exp(Q(s,a)/t) for a group of up to <see cref="GroupSize"/> consecutive states, with the maximum
/// subtracted (THEORY.md section 2), the exponentials and logarithms eight lanes at a time.
/// </summary>
/// <remarks>
/// Per state: m = max of Q over actions of positive weight, x(a) = log w(a) + (Q(a) - m)/t (so x &lt;= 0 and nothing
/// overflows), V = m + t log sum_a exp(x(a)). A scalar exp and log per action and state would cost more than the
/// sweep's memory traffic; here all x of the group go through <see cref="Vector512.Exp(Vector512{double})"/> and the
/// group's sums through one <see cref="Vector512.Log(Vector512{double})"/>. Unused lanes hold exp's identity for
/// a sum (x = -infinity) and log's harmless 1. Each state's sum runs over its actions in order, and callers give
/// groups that start at multiples of <see cref="GroupSize"/>, so results do not depend on threads or partitions.
/// </remarks>
internal sealed class GroupLogSumExp
{
    /// <summary>States per group: one 512-bit vector of sums.</summary>
    public const int GroupSize = 8;

    private readonly double[] _xGA;
    private readonly double[] _maxG = new double[GroupSize];
    private readonly double[] _sumG = new double[GroupSize];

    /// <summary>Creates the scratch for <paramref name="actionCount"/> actions.</summary>
    public GroupLogSumExp(int actionCount)
    {
        ActionCount = actionCount;
        _xGA = new double[(GroupSize * actionCount + GroupSize - 1) / GroupSize * GroupSize];
    }

    /// <summary>A, the row length this scratch was made for.</summary>
    public int ActionCount { get; }

    /// <summary>Computes the values of <paramref name="count"/> states.</summary>
    /// <param name="qGA">[count*A] Q of the group's states.</param>
    /// <param name="logWeightsGA">[count*A] log w, -infinity for excluded actions; empty for w = 1.</param>
    /// <param name="count">States in the group, 1..<see cref="GroupSize"/>.</param>
    /// <param name="temperature">t &gt; 0.</param>
    /// <param name="valuesG">[count] output.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(ReadOnlySpan<double> qGA, ReadOnlySpan<double> logWeightsGA, int count, double temperature, Span<double> valuesG)
    {
        int actionCount = ActionCount;
        int used = count * actionCount;
        double inverse = 1.0 / temperature;
        var x = _xGA.AsSpan();
        for (int g = 0; g < count; g++)
        {
            var q = qGA.Slice(g * actionCount, actionCount);
            var logW = logWeightsGA.IsEmpty ? default : logWeightsGA.Slice(g * actionCount, actionCount);
            double m = double.NegativeInfinity;
            for (int a = 0; a < actionCount; a++)
                if (logW.IsEmpty || logW[a] > double.NegativeInfinity) m = Math.Max(m, q[a]);
            _maxG[g] = m;
            var xA = x.Slice(g * actionCount, actionCount);
            // An excluded action is skipped, not weighted: its Q may exceed m, and -inf + inf would be NaN.
            for (int a = 0; a < actionCount; a++)
                xA[a] = logW.IsEmpty ? (q[a] - m) * inverse
                    : logW[a] > double.NegativeInfinity ? logW[a] + (q[a] - m) * inverse : double.NegativeInfinity;
        }
        x[used..].Fill(double.NegativeInfinity);

        for (int i = 0; i < x.Length; i += Vector512<double>.Count)
            Vector512.Exp(Vector512.Create(_xGA, i)).CopyTo(_xGA, i);

        for (int g = 0; g < GroupSize; g++)
        {
            double sum = 0;
            if (g < count)
                foreach (double e in x.Slice(g * actionCount, actionCount)) sum += e;
            else
                sum = 1;
            _sumG[g] = sum;
        }
        var logSum = Vector512.Log(Vector512.Create(_sumG));
        for (int g = 0; g < count; g++)
        {
            double m = _maxG[g];
            // An infinite (or NaN) maximum is the value itself; the shifted exponentials would be NaN.
            valuesG[g] = double.IsFinite(m) ? m + temperature * logSum[g] : m;
        }
    }
}
