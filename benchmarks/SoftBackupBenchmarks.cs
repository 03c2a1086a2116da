using BenchmarkDotNet.Attributes;

namespace TabularRL.Benchmarks;

/// <summary>One soft (maximum-entropy) Bellman sweep at temperature 1: vOut(s) = log sum_a exp Q(s,a).</summary>
[MemoryDiagnoser]
public class SoftBackupBenchmarks : SweepBenchmarks
{
    /// <summary>t = 1, where the log-sum-exp is neither a hard max nor an average.</summary>
    private const double Temperature = 1;

    /// <summary>Reads V, writes V'; returns the sup-norm change so the JIT keeps the work.</summary>
    [Benchmark]
    [SweepTraffic(SweepRows.AllActions)]
    public double SoftBackup() => Bellman.SoftBackup(Problem, Temperature, VS, Memory<double>.Empty, VOutS);
}
