using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TabularRL.Engine.Benchmarking;
using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Kernels.Measurement;

namespace TabularRL.Benchmarks.Targets;

/// <summary>
/// Measures, in one process, every ratio that the CPU-kernel work is held to (issue 3) and prints each beside its
/// target: sweep bandwidth against the triad measured here, soft and KL against hard, time to solution against plain
/// value iteration, peak memory against the model's bytes, and bitwise agreement of 1 and 2 threads.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project benchmarks -- targets</c>; <c>--quick</c> skips S = 1e6. The comparison
/// with scipy is <c>benchmarks/compare_scipy.py</c>, which needs Python. Nothing here is a test: a ratio below its
/// target is printed as a miss, and the exit code is 0 either way.
/// </remarks>
internal static class TargetsReport
{
    private const int Sweeps = 40;

    public static void Run(bool quick)
    {
        Console.WriteLine($"TabularRL targets, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} processors, " +
            $"AVX2 {Avx2.IsSupported}, AVX-512F {Avx512F.IsSupported}, Vector512 {Vector512.IsHardwareAccelerated}, .NET {Environment.Version}");
        Console.WriteLine("The bandwidth fractions are against the triad with ordinary stores (as plainly compiled STREAM has them), " +
            "measured just before each round of sweeps; \"nt triad\" is the triad with non-temporal stores.");
        Console.WriteLine();

        using var backend = new CpuBackend();
        SweepSection("local garnet W=1000, S=1e5", Garnet(100_000, 1000, 0.95), backend, 0.70, checkRegularised: true);
        if (!quick)
            SweepSection("local garnet W=1000, S=1e6", Garnet(1_000_000, 1000, 0.95), backend, 0.60, checkRegularised: false);
        SweepSection("random garnet, S=1e5", Garnet(100_000, null, 0.95), backend, null, checkRegularised: true);
        // Not a target: the optional float32 storage of the probabilities (8 bytes per entry instead of 12).
        SweepSection("local garnet W=1000, S=1e5, float32 probabilities", Garnet(100_000, 1000, 0.95), backend, null, checkRegularised: false, single: true);

        var hard = Garnet(100_000, null, 0.99);
        SolveSection(hard, backend);
        MemorySection(hard, backend);
        DeterminismSection(hard);
    }

    private static Mdp Garnet(int states, int? locality, double discount)
        => Engine.Generators.Garnet.Create(new GarnetOptions { States = states, Actions = 4, Branching = 10, Locality = locality, Seed = 1, Discount = discount });

    // Each sweep section runs this many rounds of (triad, sweeps) and judges the median round, so that one slow spell
    // of the shared machine, during the triad or during the sweeps, does not decide a verdict.
    private const int Rounds = 3;

    private static void SweepSection(string title, Mdp mdp, IBellmanBackend backend, double? target, bool checkRegularised, bool single = false)
    {
        var problem = mdp.ProblemAt(0);
        if (single)
            problem = problem.WithSingleProbabilities();
        Console.WriteLine($"{title}: nnz {problem.Transitions.NonZeroCount:N0}, {SweepBenchmark.CompulsoryBytes(problem) / 1e6:F1} MB per sweep, " +
            $"{Rounds} rounds of (triad, {Sweeps} sweeps per method); the table is the round of median hard-sweep fraction");
        var rounds = new List<SweepRound>();
        for (int round = 0; round < Rounds; round++)
        {
            var triad = TriadBandwidth.Measure(nonTemporal: false);
            var triadStreaming = TriadBandwidth.Measure(nonTemporal: true);
            var timings = SweepBenchmark.Run(problem, backend, new SweepBenchmarkOptions { Sweeps = Sweeps, WarmupSweeps = 3 });
            rounds.Add(new SweepRound(triad, triadStreaming, timings));
        }
        var median = rounds.OrderBy(r => r.HardFraction).ElementAt(Rounds / 2);
        Console.WriteLine($"  {"method",-8}{"ms",9}{"GB/s",8}{"of triad",10}{"of nt triad",13}   (triad {median.Triad.BestGBps:F1} GB/s, nt {median.TriadStreaming.BestGBps:F1})");
        foreach (var t in median.Timings)
            Console.WriteLine($"  {t.Name,-8}{t.MedianMilliseconds,9:F3}{t.EffectiveGBps,8:F1}{t.EffectiveGBps / median.Triad.BestGBps,10:P0}{t.EffectiveGBps / median.TriadStreaming.BestGBps,13:P0}");
        Console.WriteLine($"  hard-sweep fraction of the triad by round: {string.Join(", ", rounds.Select(r => r.HardFraction.ToString("P0")))}");
        if (target is { } fraction)
            Verdict($"hard sweep at least {fraction:P0} of the triad (median round)", median.HardFraction, fraction, atLeast: true);
        if (checkRegularised)
        {
            Verdict("soft sweep time / hard sweep time at most 1.3 (median of rounds)", Median(rounds.Select(r => r.TimeRatio(SweepMethod.Soft))), 1.3, atLeast: false);
            Verdict("KL sweep time / hard sweep time at most 1.4 (median of rounds)", Median(rounds.Select(r => r.TimeRatio(SweepMethod.Kl))), 1.4, atLeast: false);
        }
        Console.WriteLine();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }

    /// <summary>One round of a sweep section: the triads measured just before the sweeps, and the sweeps.</summary>
    private sealed record SweepRound(TriadResult Triad, TriadResult TriadStreaming, IReadOnlyList<SweepTiming> Timings)
    {
        private SweepTiming Of(SweepMethod method) => Timings.Single(t => t.Method == method);

        public double HardFraction => Of(SweepMethod.Hard).EffectiveGBps / Triad.BestGBps;

        public double TimeRatio(SweepMethod method) => Of(method).MedianMilliseconds / Of(SweepMethod.Hard).MedianMilliseconds;
    }

    private static void SolveSection(Mdp mdp, IBellmanBackend backend)
    {
        Console.WriteLine("random garnet S=1e5, gamma 0.99, solved to 1e-6 from V = 0 (MPI from its monotone start):");
        var vi = Timed(() => ValueIteration.Solve(mdp, new SolverOptions { Tolerance = 1e-6 }, backend));
        var mpi = Timed(() => ModifiedPolicyIteration.Solve(mdp, new ModifiedPolicyIterationOptions { Tolerance = 1e-6 }, backend));
        var pi = Timed(() => PolicyIteration.Solve(mdp, new PolicyIterationOptions { Tolerance = 1e-6 }, backend));
        foreach (var (name, (result, ms)) in new[] { ("vi", vi), ("mpi", mpi), ("pi", pi) })
            Console.WriteLine($"  {name,-4}{ms,10:F0} ms{result.Iterations,7} iterations, error bound {result.ErrorBound:E1}, speed-up over vi {vi.Milliseconds / ms,6:F1}x, " +
                $"policy {(result.Actions.SequenceEqual(pi.Result.Actions) ? "same as pi" : $"differs from pi in {Differences(result.Actions, pi.Result.Actions)} states")}");
        Verdict("mpi at least 5x faster than vi, same policy", mpi.Result.Actions.SequenceEqual(vi.Result.Actions) ? vi.Milliseconds / mpi.Milliseconds : 0, 5, atLeast: true);
        // Not a target: pi evaluates each policy exactly (INTERFACES.md: "policy iteration with exact evaluation") and
        // ends at rounding level, so it does more than the 1e-6 the target asks for; its time is printed above for scale.
        Console.WriteLine("  (pi is exact, not a 1e-6 method: its speed-up is shown for scale, not judged)");
        Console.WriteLine();
    }

    private static void MemorySection(Mdp mdp, IBellmanBackend backend)
    {
        long S = mdp.StateCount, A = mdp.ActionCount;
        var problem = mdp.ProblemAt(0);
        // The model as the solvers read it: CSR (8-byte probability, 4-byte column, 8-byte row pointer), rewards, mu0.
        long modelBytes = 12 * problem.Transitions.NonZeroCount + 8 * (S * A + 1) + 8 * S * A + 8 * S;
        // The value arrays a solve returns: V [S] and Q [S, A].
        long valueBytes = 8 * S + 8 * S * A;
        Console.WriteLine($"peak memory of a solve (same model): CSR model {modelBytes / 1e6:F1} MB + value arrays V, Q {valueBytes / 1e6:F1} MB = {(modelBytes + valueBytes) / 1e6:F1} MB");
        foreach (var (name, solve) in new (string, Func<SolveResult>)[]
        {
            ("pi", () => PolicyIteration.Solve(mdp, new PolicyIterationOptions(), backend)),
            ("mpi", () => ModifiedPolicyIteration.Solve(mdp, new ModifiedPolicyIterationOptions { Tolerance = 1e-6 }, backend)),
            ("vi", () => ValueIteration.Solve(mdp, new SolverOptions { Tolerance = 1e-6 }, backend)),
        })
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            long resident = ProcessMemory.ResidentBytes();
            bool reset = ProcessMemory.TryResetPeak();
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            var result = solve();
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            long peak = ProcessMemory.PeakResidentBytes();
            GC.KeepAlive(result);
            // Everything a solve allocates is at most everything it can hold at once, on top of the model.
            double allocatedRatio = (double)(modelBytes + allocated) / (modelBytes + valueBytes);
            string rss = reset && peak > 0 ? $", resident peak grew {(peak - resident) / 1e6:F1} MB over the {resident / 1e6:F0} MB before (runtime included)" : "";
            Console.WriteLine($"  {name,-4}allocated {allocated / 1e6,6:F1} MB{rss}");
            Verdict($"{name}: (model + all bytes the solve allocated) / (model + V + Q) at most 1.3", allocatedRatio, 1.3, atLeast: false);
        }
        Console.WriteLine();
    }

    private static void DeterminismSection(Mdp mdp)
    {
        var problem = mdp.ProblemAt(0);
        using var one = new CpuBackend(1);
        using var two = new CpuBackend(2);
        var first = Sweeps4(problem, one);
        var second = Sweeps4(problem, two);
        bool sweepsEqual = first.Zip(second).All(p => p.First.SequenceEqual(p.Second));
        var pi1 = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), one);
        var pi2 = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), two);
        bool solvesEqual = Bits(pi1.Values).SequenceEqual(Bits(pi2.Values)) && pi1.Actions.SequenceEqual(pi2.Actions);
        Console.WriteLine("1 thread against 2 threads (random garnet S=1e5): hard, soft, KL and policy sweeps, and a policy-iteration solve");
        Verdict("results bitwise identical", sweepsEqual && solvesEqual ? 1 : 0, 1, atLeast: true);
    }

    // Values (as bits) and argmax of 3 sweeps of each primitive from the same start.
    private static List<long[]> Sweeps4(in BellmanProblem problem, IBellmanBackend backend)
    {
        int S = problem.StateCount;
        var results = new List<long[]>();
        var logUniform = Enumerable.Repeat(-Math.Log(problem.ActionCount), S * problem.ActionCount).ToArray();
        var argmax = new int[S];
        for (int method = 0; method < 4; method++)
        {
            var v = new double[S];
            var next = new double[S];
            for (int k = 0; k < 3; k++)
            {
                _ = method switch
                {
                    0 => backend.HardBackup(problem, v, Memory<double>.Empty, next, argmax),
                    1 => backend.SoftBackup(problem, 0.5, v, Memory<double>.Empty, next),
                    2 => backend.KlBackup(problem, 0.5, logUniform, v, Memory<double>.Empty, next),
                    _ => backend.DeterministicPolicyBackup(problem, argmax, v, next),
                };
                (v, next) = (next, v);
            }
            results.Add(Bits(v));
            results.Add(argmax.Select(a => (long)a).ToArray());
        }
        return results;
    }

    private static long[] Bits(ReadOnlySpan<double> values)
    {
        var bits = new long[values.Length];
        for (int i = 0; i < values.Length; i++) bits[i] = BitConverter.DoubleToInt64Bits(values[i]);
        return bits;
    }

    private static int Differences(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int count = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) count++;
        return count;
    }

    private static (SolveResult Result, double Milliseconds) Timed(Func<SolveResult> solve)
    {
        var watch = Stopwatch.StartNew();
        var result = solve();
        return (result, watch.Elapsed.TotalMilliseconds);
    }

    private static void Verdict(string claim, double measured, double target, bool atLeast)
    {
        bool met = atLeast ? measured >= target : measured <= target;
        Console.WriteLine($"  {(met ? "MET " : "MISS")}  {claim}: measured {measured:F2}");
    }
}
