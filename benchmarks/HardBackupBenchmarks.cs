using BenchmarkDotNet.Attributes;
using TabularRL.Engine.Generators;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;

namespace TabularRL.Benchmarks;

/// <summary>One hard Bellman sweep (Q = r + gamma P V, max and argmax) on a seeded garnet, per backend.</summary>
/// <remarks>
/// Compulsory traffic per sweep is 12 nnz + 16 S A + 20 S bytes (STYLE.md); divide by the mean time for the effective
/// bandwidth. Compare the reference rows (the scalar oracle) with the cpu rows for the speed-up.
/// </remarks>
[MemoryDiagnoser]
public class HardBackupBenchmarks
{
    private IBellmanBackend _backend = null!;
    private BellmanProblem _problem;
    private double[] _v = null!, _vOut = null!;
    private int[] _argmax = null!;

    [Params(10_000, 100_000)]
    public int States { get; set; }

    [Params("reference", "cpu")]
    public string Backend { get; set; } = "cpu";

    [GlobalSetup]
    public void Setup()
    {
        var mdp = Garnet.Create(new GarnetOptions { States = States, Actions = 4, Branching = 10, Seed = 1 });
        _problem = mdp.ProblemAt(0);
        _backend = BackendFactory.Create(Backend);
        _v = new double[States];
        _vOut = new double[States];
        _argmax = new int[States];
        for (int s = 0; s < States; s++) _v[s] = s % 7;
    }

    [Benchmark]
    public double Sweep() => _backend.HardBackup(_problem, _v, Memory<double>.Empty, _vOut, _argmax);

    [GlobalCleanup]
    public void Cleanup() => _backend.Dispose();
}
