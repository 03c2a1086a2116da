using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TabularRL.Kernels.Rows;

/// <summary>The running maximum and first maximiser of a state's action values, updated without a branch.</summary>
/// <remarks>
/// Which action wins is data, so a compare-and-branch mispredicts about once per state on random rewards, and each
/// misprediction also throws away the loads of the following rows that were already in flight, which is what keeps a
/// sweep near the memory bandwidth. The JIT compiles <c>better ? a : b</c> into such a branch; a vector compare gives
/// a mask that selects both the value and the action. Measured on the development VM (<c>tabrl bench FILE --threads 1</c>
/// on garnets S = 1e5, K = 10): the hard sweep took 5.81 ms (local) and 7.66 ms (random) with the branch and 4.13 and
/// 6.29 ms with the mask, where the plain C loop of benchmarks/reference/csr_sweep.c took 4.5-4.9 and 5.8-6.1 ms.
/// </remarks>
internal static class GreedyChoice
{
    /// <summary>Takes <paramref name="value"/> and <paramref name="action"/> when value &gt; best; ties and NaN keep the current choice.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Offer(double value, int action, ref double best, ref int bestAction)
    {
        var candidate = Vector128.CreateScalarUnsafe(value);
        var current = Vector128.CreateScalarUnsafe(best);
        var better = Vector128.GreaterThan(candidate, current);
        best = Vector128.ConditionalSelect(better, candidate, current).ToScalar();
        long mask = better.AsInt64().ToScalar();
        bestAction = (int)((action & mask) | (bestAction & ~mask));
    }
}
