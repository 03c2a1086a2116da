using BenchmarkDotNet.Attributes;

namespace TabularRL.Benchmarks;

/// <summary>One hard Bellman sweep: Q = r + gamma P V, vOut = max_a Q, argmax (the inner loop of value iteration).</summary>
[MemoryDiagnoser]
public class HardBackupBenchmarks : SweepBenchmarks
{
    /// <summary>Reads V, writes V' and the greedy actions; returns the sup-norm change so the JIT keeps the work.</summary>
    [Benchmark]
    [SweepTraffic(SweepRows.AllActions)]
    public double HardBackup() => Bellman.HardBackup(Problem, VS, Memory<double>.Empty, VOutS, ArgmaxS);
}
