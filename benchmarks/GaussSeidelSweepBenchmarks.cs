using BenchmarkDotNet.Attributes;

namespace TabularRL.Benchmarks;

/// <summary>One in-place Gauss-Seidel sweep in state order: each state's backup reads the values already updated in this sweep.</summary>
/// <remarks>
/// The sweep mutates V, so successive invocations continue value iteration from where the last one stopped; the work
/// per sweep does not depend on the values, and with gamma = 0.99 they stay below 1/(1-gamma) = 100.
/// </remarks>
[MemoryDiagnoser]
public class GaussSeidelSweepBenchmarks : SweepBenchmarks
{
    /// <summary>Updates V in place and writes the greedy actions; returns the sup-norm change so the JIT keeps the work.</summary>
    [Benchmark]
    [SweepTraffic(SweepRows.AllActions)]
    public double GaussSeidelSweep() => Bellman.GaussSeidelSweep(Problem, VS, ArgmaxS);
}
