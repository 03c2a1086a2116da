using BenchmarkDotNet.Attributes;

namespace TabularRL.Benchmarks;

/// <summary>One KL-regularised Bellman sweep towards the uniform policy with coefficient 1: vOut(s) = log sum_a (1/A) exp Q(s,a).</summary>
[MemoryDiagnoser]
public class KlBackupBenchmarks : SweepBenchmarks
{
    /// <summary>l = 1.</summary>
    private const double Coefficient = 1;

    private double[] _logReferenceSA = null!;

    /// <summary>Reads V and log piRef, writes V'; returns the sup-norm change so the JIT keeps the work.</summary>
    [Benchmark]
    [SweepTraffic(SweepRows.AllActions)]
    public double KlBackup() => Bellman.KlBackup(Problem, Coefficient, _logReferenceSA, VS, Memory<double>.Empty, VOutS);

    /// <summary>[S*A] log(1/A): the uniform reference policy.</summary>
    protected override void SetupOperation()
    {
        _logReferenceSA = new double[(long)States * BenchmarkModels.Actions];
        Array.Fill(_logReferenceSA, -Math.Log(BenchmarkModels.Actions));
    }
}
