namespace TabularRL.Kernels;

/// <summary>Runs a per-state computation over fixed blocks of states on the thread pool and max-reduces the results.</summary>
/// <remarks>
/// Blocks are fixed by <see cref="BlockSize"/>, not by the thread count, and the reduction is a maximum (exact and
/// order-free), so a result never depends on how many threads ran.
/// </remarks>
internal static class StateBlocks
{
    /// <summary>States per block: large enough to amortise scheduling, small enough to balance two to sixteen cores.</summary>
    public const int BlockSize = 2048;

    /// <summary>Calls <paramref name="body"/> on [start, end) blocks covering [0, count) and returns the largest result.</summary>
    /// <param name="count">Number of states.</param>
    /// <param name="maxThreads">Degree of parallelism; 1 runs inline.</param>
    /// <param name="body">Computes a block and returns its reduction (NaN for a non-finite result).</param>
    public static double MaxOver(int count, int maxThreads, Func<int, int, double> body)
    {
        int blocks = (count + BlockSize - 1) / BlockSize;
        if (blocks <= 1 || maxThreads == 1)
        {
            double result = 0;
            for (int b = 0; b < blocks; b++)
                result = Combine(result, body(b * BlockSize, Math.Min(count, (b + 1) * BlockSize)));
            return result;
        }

        var partial = new double[blocks];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxThreads };
        Parallel.For(0, blocks, options, b => partial[b] = body(b * BlockSize, Math.Min(count, (b + 1) * BlockSize)));
        double max = 0;
        foreach (double p in partial)
            max = Combine(max, p);
        return max;
    }

    /// <summary>Maximum that keeps NaN, so a non-finite block is never hidden by a later finite one.</summary>
    public static double Combine(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);
}
