using System.Diagnostics;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;

namespace TabularRL.Engine.Benchmarking;

/// <summary>The timing of a whole batch solved to a tolerance, repeated; the median is the figure to quote.</summary>
/// <param name="BatchCount">B, the MDPs solved per repetition.</param>
/// <param name="Repetitions">Timed solves of the whole batch.</param>
/// <param name="MedianSeconds">Median wall time of one solve of the whole batch.</param>
/// <param name="MinSeconds">Fastest solve of the whole batch.</param>
/// <param name="MaxSweeps">The most sweeps any MDP took.</param>
/// <param name="TotalSweeps">Sweeps summed over the MDPs (of one repetition).</param>
/// <param name="AllConverged">Whether every MDP met the tolerance.</param>
public sealed record BatchTiming(int BatchCount, int Repetitions, double MedianSeconds, double MinSeconds, int MaxSweeps, long TotalSweeps, bool AllConverged)
{
    /// <summary>B / median seconds.</summary>
    public double MdpsPerSecond => BatchCount / MedianSeconds;
}

/// <summary>Times value iteration on many small MDPs: batched (<see cref="BatchedValueIteration"/>) or one solve per MDP (<see cref="ValueIteration"/>).</summary>
/// <remarks>
/// Every repetition solves the whole batch from V = 0 and is timed as one piece, model construction excluded; the
/// solo path includes what a caller pays per model (one <see cref="ValueIteration.Solve"/> call each, with its
/// greedy result), which is the cost batching removes. Timed assertions do not belong in tests; this is for
/// <c>tabrl bench --batch</c> and benchmarks/README.md.
/// </remarks>
public static class BatchBenchmark
{
    /// <summary>Times <paramref name="repetitions"/> batched solves of <paramref name="batch"/>.</summary>
    /// <param name="batch">The MDPs.</param>
    /// <param name="backend">A batched backend.</param>
    /// <param name="tolerance">Certified tolerance per MDP.</param>
    /// <param name="repetitions">Timed solves, at least 1.</param>
    public static BatchTiming TimeBatched(BatchedMdp batch, IBatchedBellmanBackend backend, double tolerance, int repetitions)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var options = new BatchedSolverOptions { Tolerance = tolerance };
        var seconds = new double[repetitions];
        BatchedSolveResult? result = null;
        for (int r = 0; r < repetitions; r++)
        {
            long start = Stopwatch.GetTimestamp();
            result = BatchedValueIteration.Solve(batch, options, backend);
            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        long total = 0;
        int most = 0;
        foreach (int k in result!.Sweeps)
        {
            total += k;
            most = Math.Max(most, k);
        }
        return Summarise(batch.BatchCount, seconds, most, total, result.AllConverged);
    }

    /// <summary>Times <paramref name="repetitions"/> passes of one <see cref="ValueIteration.Solve"/> per model.</summary>
    /// <param name="mdps">The MDPs, infinite-horizon.</param>
    /// <param name="backend">The backend each solo solve runs on.</param>
    /// <param name="tolerance">Certified tolerance per MDP.</param>
    /// <param name="repetitions">Timed passes, at least 1.</param>
    public static BatchTiming TimeSolo(IReadOnlyList<Mdp> mdps, IBellmanBackend backend, double tolerance, int repetitions)
    {
        ArgumentNullException.ThrowIfNull(mdps);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var options = new SolverOptions { Tolerance = tolerance };
        var seconds = new double[repetitions];
        long total = 0;
        int most = 0;
        bool all = true;
        for (int r = 0; r < repetitions; r++)
        {
            (total, most, all) = (0, 0, true);
            long start = Stopwatch.GetTimestamp();
            foreach (var mdp in mdps)
            {
                var result = ValueIteration.Solve(mdp, options, backend);
                total += result.Iterations;
                most = Math.Max(most, result.Iterations);
                all &= result.Converged;
            }
            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        return Summarise(mdps.Count, seconds, most, total, all);
    }

    private static BatchTiming Summarise(int batchCount, double[] seconds, int most, long total, bool all)
    {
        var sorted = seconds.Order().ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new BatchTiming(batchCount, n, median, sorted[0], most, total, all);
    }
}
