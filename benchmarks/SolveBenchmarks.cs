using BenchmarkDotNet.Attributes;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using Solvers = TabularRL.Engine.Solvers;

namespace TabularRL.Benchmarks;

/// <summary>Solving the random garnet (gamma = 0.99) to a certified tolerance of 1e-6, per solver and backend.</summary>
/// <remarks>
/// Value iteration from V = 0 stops once gamma/(1-gamma) gamma^(k-1) max r &lt;= 1e-6, within
/// log(1e-6 (1-gamma)) / log(gamma) = 1,833 sweeps for rewards below 1 (1,812 at S = 1,000); modified and exact policy iteration trade
/// sweeps for evaluations. One solve takes most of a minute on the reference backend at S = 10^5, so the
/// attributes cap the automatic warm-up at 2 and the measured iterations at 3 to 5 instead of BenchmarkDotNet's
/// 6-50 and 15-100. They only bound automatic counts, so a job that fixes its counts (<c>--job dry</c>,
/// <c>--job short</c>) runs as it says. The sweeps or improvement steps of the last solve are written to the log
/// ("// solve: ...").
/// </remarks>
[MemoryDiagnoser]
[MinWarmupCount(1)]
[MaxWarmupCount(2)]
[MinIterationCount(3)]
[MaxIterationCount(5)]
public class SolveBenchmarks
{
    private const double Tolerance = 1e-6;

    private Mdp _mdp = null!;
    private IBellmanBackend _bellman = null!;
    private SolveResult? _last;

    /// <summary>S: 10^4 and 10^5.</summary>
    [ParamsSource(nameof(StateCounts), Priority = -2)]
    public int States { get; set; }

    /// <summary>The <c>--backend</c> name given to <see cref="BackendFactory.Create"/>.</summary>
    [Params("reference", "cpu")]
    public string Backend { get; set; } = "cpu";

    /// <summary>The state counts: 10^4, 10^5, or <c>TABRL_BENCH_STATES</c>.</summary>
    public static IEnumerable<int> StateCounts => BenchmarkModels.States(10_000, 100_000);

    /// <summary>Builds (or takes from the cache) the random garnet and the backend.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _mdp = BenchmarkModels.Garnet(States, BenchmarkModels.Random);
        _bellman = BackendFactory.Create(Backend);
    }

    /// <summary>Logs the last solve's iteration count and bound, then disposes the backend.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        if (_last is { } r)
            Console.WriteLine($"// solve: {r.Method} S={States} backend={Backend}: {r.Iterations} iterations, bound {r.ErrorBound:0.###e+0}, converged {r.Converged}");
        _bellman.Dispose();
    }

    /// <summary>Jacobi value iteration, stopped on gamma/(1-gamma) ||V_k - V_{k-1}|| &lt;= 1e-6.</summary>
    [Benchmark]
    public SolveResult ValueIteration() =>
        _last = Solvers.ValueIteration.Solve(_mdp, new SolverOptions { Tolerance = Tolerance }, _bellman);

    /// <summary>Modified policy iteration with the default 20 evaluation sweeps per improvement.</summary>
    [Benchmark]
    public SolveResult ModifiedPolicyIteration() =>
        _last = Solvers.ModifiedPolicyIteration.Solve(_mdp, new ModifiedPolicyIterationOptions { Tolerance = Tolerance }, _bellman);

    /// <summary>Policy iteration with exact (Krylov) evaluation.</summary>
    [Benchmark]
    public SolveResult PolicyIteration() =>
        _last = Solvers.PolicyIteration.Solve(_mdp, new PolicyIterationOptions { Tolerance = Tolerance }, _bellman);
}
