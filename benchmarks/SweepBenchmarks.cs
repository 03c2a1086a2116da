using BenchmarkDotNet.Attributes;
using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;

namespace TabularRL.Benchmarks;

/// <summary>The parameters and state shared by the one-sweep suites: S, random or local successors, and the backend.</summary>
/// <remarks>
/// Each derived class times one operation of <see cref="IBellmanBackend"/> on the garnet of
/// <see cref="BenchmarkModels.Garnet"/>. Cases are S x successors x backend = 3 x 2 x 2 = 12 per suite; the
/// <see cref="SpeedupColumn"/> divides each case by its reference twin and the <see cref="BandwidthColumn"/> turns the
/// mean time into GB/s of compulsory traffic.
/// </remarks>
public abstract class SweepBenchmarks
{
    /// <summary>S: 10^4 (5.6 MB of compulsory traffic per full sweep, cache-sized), 10^5 (56 MB), 10^6 (564 MB).</summary>
    [ParamsSource(nameof(StateCounts), Priority = -2)]
    public int States { get; set; }

    /// <summary>"random" (successors from all S states) or "local" (from {s-1000, ..., s+1000} modulo S).</summary>
    [Params(BenchmarkModels.Random, BenchmarkModels.Local, Priority = -1)]
    public string Successors { get; set; } = BenchmarkModels.Random;

    /// <summary>The <c>--backend</c> name given to <see cref="BackendFactory.Create"/>; "reference" is the scalar oracle.</summary>
    [Params("reference", "cpu")]
    public string Backend { get; set; } = "cpu";

    /// <summary>The state counts: 10^4, 10^5, 10^6, or <c>TABRL_BENCH_STATES</c>.</summary>
    public static IEnumerable<int> StateCounts => BenchmarkModels.States(10_000, 100_000, 1_000_000);

    /// <summary>The backend named by <see cref="Backend"/>.</summary>
    protected IBellmanBackend Bellman { get; private set; } = null!;

    /// <summary>The stationary Bellman data of the model.</summary>
    protected BellmanProblem Problem { get; private set; }

    /// <summary>[S] input values (updated in place by the Gauss-Seidel sweep).</summary>
    protected double[] VS { get; private set; } = null!;

    /// <summary>[S] output values of the Jacobi sweeps.</summary>
    protected double[] VOutS { get; private set; } = null!;

    /// <summary>[S] greedy actions written by the hard and Gauss-Seidel sweeps.</summary>
    protected int[] ArgmaxS { get; private set; } = null!;

    /// <summary>Builds (or takes from the cache) the model and allocates the buffers; nothing is allocated per sweep.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Mdp mdp = BenchmarkModels.Garnet(States, Successors);
        Problem = mdp.ProblemAt(0);
        Bellman = BackendFactory.Create(Backend);
        VS = BenchmarkModels.Values(States);
        VOutS = new double[States];
        ArgmaxS = new int[States];
        SetupOperation();
    }

    /// <summary>Disposes the backend.</summary>
    [GlobalCleanup]
    public void Cleanup() => Bellman.Dispose();

    /// <summary>Prepares what one operation needs beyond the shared buffers (a reference policy, a policy to evaluate).</summary>
    protected virtual void SetupOperation()
    {
    }
}
