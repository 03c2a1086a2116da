using System.Runtime.CompilerServices;

namespace TabularRL.Kernels;

/// <summary>Per-state Bellman kernels over CSR rows, used by the CPU backend.</summary>
/// <remarks>Each method computes the Q row of one state and reduces it; the caller owns the loop over states.</remarks>
internal static class StateKernels
{
    /// <summary>Expected next value sum_k p_k v[c_k] over one CSR row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RowExpectation(ReadOnlySpan<int> columns, ReadOnlySpan<double> probabilities, ReadOnlySpan<double> vS)
    {
        // Two accumulators break the dependency chain of the additions; gathers dominate anyway.
        double even = 0, odd = 0;
        int k = 0;
        for (; k + 1 < columns.Length; k += 2)
        {
            even += probabilities[k] * vS[columns[k]];
            odd += probabilities[k + 1] * vS[columns[k + 1]];
        }
        if (k < columns.Length)
            even += probabilities[k] * vS[columns[k]];
        return even + odd;
    }

    /// <summary>Fills qA (length A) with Q(s, .) = r + gamma P v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void QRow(in BellmanProblem problem, int s, ReadOnlySpan<double> vS, Span<double> qA)
    {
        var rowPointers = problem.Transitions.RowPointers.Span;
        var columns = problem.Transitions.Columns.Span;
        var probabilities = problem.Transitions.Values.Span;
        var rewards = problem.RewardsSA.Span;
        int row = s * problem.ActionCount;
        for (int a = 0; a < qA.Length; a++, row++)
        {
            int start = (int)rowPointers[row];
            int length = (int)(rowPointers[row + 1] - start);
            qA[a] = rewards[row] + problem.Discount * RowExpectation(columns.Slice(start, length), probabilities.Slice(start, length), vS);
        }
    }

    /// <summary>Maximum of qA and its first index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(ReadOnlySpan<double> qA, out int argmax)
    {
        argmax = 0;
        double best = qA[0];
        for (int a = 1; a < qA.Length; a++)
        {
            if (qA[a] > best)
            {
                best = qA[a];
                argmax = a;
            }
        }
        return best;
    }

    /// <summary>t log sum_a w_a exp(q_a / t) with the maximum over positive-weight actions subtracted.</summary>
    /// <param name="qA">Q(s, .).</param>
    /// <param name="logWeightsA">log w(a), negative infinity for excluded actions; empty means all weights 1.</param>
    /// <param name="t">Temperature &gt; 0.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogSumExp(ReadOnlySpan<double> qA, ReadOnlySpan<double> logWeightsA, double t)
    {
        double m = double.NegativeInfinity;
        for (int a = 0; a < qA.Length; a++)
            if (logWeightsA.IsEmpty || logWeightsA[a] > double.NegativeInfinity)
                m = Math.Max(m, qA[a]);
        if (double.IsInfinity(m))
            return m;
        double sum = 0;
        double inverse = 1.0 / t;
        for (int a = 0; a < qA.Length; a++)
        {
            if (logWeightsA.IsEmpty)
                sum += Math.Exp((qA[a] - m) * inverse);
            else if (logWeightsA[a] > double.NegativeInfinity)
                sum += Math.Exp(logWeightsA[a] + (qA[a] - m) * inverse);
        }
        return m + t * Math.Log(sum);
    }
}
