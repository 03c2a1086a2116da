using System.CommandLine;
using TabularRL.Cli.Output;
using TabularRL.Engine.Benchmarking;
using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Kernels.Measurement;

namespace TabularRL.Cli.Commands;

/// <summary><c>tabrl bench</c>: times Bellman sweeps on a model or a generated garnet next to a triad bandwidth measured in the same process.</summary>
internal static class BenchCommand
{
    private const int DefaultStates = 100_000, DefaultActions = 4, DefaultBranching = 10, DefaultSeed = 1;
    private const int DefaultBatchStates = 50, DefaultBatchBranching = 5, DefaultRepetitions = 3;
    private const double DefaultDiscount = 0.95, DefaultTolerance = 1e-8;

    public static Command Create(CliConsole console)
    {
        var model = new Argument<string?>("MODEL") { Description = "Model file (.npz or .json); omit it to bench a generated garnet. A finite-horizon model is benched at stage 0.", Arity = ArgumentArity.ZeroOrOne };
        // Nullable so that "given" can be told from "defaulted": generator options next to MODEL are a usage error.
        var states = new Option<int?>("--states") { Description = $"Garnet S (default {DefaultStates})." };
        var actions = new Option<int?>("--actions") { Description = $"Garnet A (default {DefaultActions})." };
        var branching = new Option<int?>("--branching") { Description = $"Garnet K, distinct next states per (s,a) (default {DefaultBranching})." };
        var locality = new Option<int?>("--locality") { Description = "Garnet W: next states within W of s (wrapping around); default all states." };
        var seed = new Option<int?>("--seed") { Description = $"Garnet seed (default {DefaultSeed}); the discount is 0.95." };
        var sweeps = new Option<int>("--sweeps") { Description = "Timed sweeps per method; the median is reported.", DefaultValueFactory = _ => 30 };
        var threads = new Option<int>("--threads") { Description = "Threads of the cpu backend and of the triad (0: one per processor); the reference backend runs on one and ignores it.", DefaultValueFactory = _ => 0 };
        var probabilities = new Option<string>("--probabilities")
        {
            Description = "Storage of the transition probabilities in the kernels: float64, or float32 (rounded once; the kernels still accumulate in float64).",
            DefaultValueFactory = _ => "float64",
        };
        probabilities.AcceptOnlyFromAmong("float64", "float32");
        var methods = new Option<string>("--methods")
        {
            Description = "Comma-separated sweeps to time, from hard, soft, kl, policy, gs. They take turns, one sweep each per round, so every method sees the caches as the others leave them; time one method alone to see it back to back, as a solver runs it.",
            DefaultValueFactory = _ => string.Join(",", SweepMethodNames.All.Select(m => m.Name())),
        };
        var triadMegabytes = new Option<int>("--triad-mb") { Description = "Total MiB of the three triad arrays; keep it well above the last-level cache.", DefaultValueFactory = _ => 384 };
        // Batched value iteration (issue 6): nullable so that a batch option without --batch is a usage error.
        var batch = new Option<int?>("--batch") { Description = "Time value iteration on B garnets (seeds --seed, --seed + 1, ...) solved together to --tol, instead of timing sweeps." };
        var discount = new Option<double?>("--discount") { Description = $"With --batch: the garnets' discount (default {DefaultDiscount})." };
        var tolerance = new Option<double?>("--tol") { Description = $"With --batch: certified tolerance per MDP (default {DefaultTolerance})." };
        var repetitions = new Option<int?>("--repetitions") { Description = $"With --batch: timed solves of the whole batch; the median is reported (default {DefaultRepetitions})." };
        var solo = new Option<bool>("--solo") { Description = "With --batch: solve the same garnets one at a time through ValueIteration.Solve, for comparison." };

        var command = new Command("bench", "Time hard, soft, KL, policy and Gauss-Seidel sweeps and compare their effective bandwidth with a STREAM triad.")
        {
            model, states, actions, branching, locality, seed, sweeps, threads, probabilities, methods, triadMegabytes,
            batch, discount, tolerance, repetitions, solo,
        };
        var common = CommonOptions.AddTo(command);
        var reorder = StateOrderOption.AddTo(command);
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(common.Out) is not null)
                throw new UsageException("--out: bench writes no file (use --format json > FILE)");
            int sweepCount = parsed.GetValue(sweeps), threadCount = parsed.GetValue(threads), megabytes = parsed.GetValue(triadMegabytes);
            if (sweepCount < 1)
                throw new UsageException($"--sweeps: {sweepCount} (must be >= 1)");
            if (threadCount < 0)
                throw new UsageException($"--threads: {threadCount} (must be >= 0; 0 means one per processor)");
            if (megabytes < 1)
                throw new UsageException($"--triad-mb: {megabytes} (must be >= 1)");
            if (parsed.GetValue(batch) is { } batchCount)
            {
                if (parsed.GetValue(model) is { } file)
                    throw new UsageException($"--batch: MODEL '{file}' cannot go with --batch (it benches generated garnets)");
                if (parsed.GetValue(probabilities) == "float32")
                    throw new UsageException("--probabilities: float32 cannot go with --batch (the batched solvers read float64 entries)");
                var batchOptions = new BatchRun(batchCount, parsed.GetValue(states) ?? DefaultBatchStates, parsed.GetValue(actions) ?? DefaultActions,
                    parsed.GetValue(branching) ?? DefaultBatchBranching, parsed.GetValue(locality), parsed.GetValue(seed) ?? DefaultSeed,
                    parsed.GetValue(discount) ?? DefaultDiscount, parsed.GetValue(tolerance) ?? DefaultTolerance,
                    parsed.GetValue(repetitions) ?? DefaultRepetitions, parsed.GetValue(solo));
                return RunBatch(console, parsed, common, batchOptions, threadCount);
            }
            if (new Option[] { discount, tolerance, repetitions }.FirstOrDefault(o => parsed.GetResult(o) is not null) is { } batchOnly)
                throw new UsageException($"{batchOnly.Name}: only with --batch");
            if (parsed.GetValue(solo))
                throw new UsageException("--solo: only with --batch");
            var methodList = ParseMethods(parsed.GetValue(methods)!);

            string? path = parsed.GetValue(model);
            Option<int?>[] generatorOptions = [states, actions, branching, locality, seed];
            Mdp mdp;
            string source;
            if (path is not null)
            {
                if (generatorOptions.FirstOrDefault(o => parsed.GetValue(o) is not null) is { } given)
                    throw new UsageException($"{given.Name}: a generator option cannot go with MODEL '{path}' (bench either a model file or a generated garnet)");
                mdp = common.LoadModel(path, parsed);
                source = path;
            }
            else
            {
                var options = new GarnetOptions
                {
                    States = parsed.GetValue(states) ?? DefaultStates, Actions = parsed.GetValue(actions) ?? DefaultActions,
                    Branching = parsed.GetValue(branching) ?? DefaultBranching, Locality = parsed.GetValue(locality), Seed = parsed.GetValue(seed) ?? DefaultSeed,
                };
                mdp = GeneratorOptionErrors.Build(() => Garnet.Create(options),
                    nameof(GarnetOptions.States), nameof(GarnetOptions.Branching), nameof(GarnetOptions.Locality));
                source = $"garnet K={options.Branching}" + (options.Locality is { } w ? $" W={w}" : "") + $" seed {options.Seed}";
            }

            var (benched, permutation) = reorder.Apply(parsed, mdp, console, parsed.GetValue(common.Verbose));
            if (permutation is not null) source += ", states renumbered by rcm";

            using var backend = common.CreateBackend(parsed, console, threadCount);
            int backendThreads = ThreadsOf(backend, threadCount);
            var problem = benched.ProblemAt(0);
            if (parsed.GetValue(probabilities) == "float32")
                problem = problem.WithSingleProbabilities();
            var timings = SweepBenchmark.Run(problem, backend, new SweepBenchmarkOptions { Sweeps = sweepCount, Methods = methodList });
            // The triad runs on as many threads as the sweeps, so that the fraction compares like with like.
            // Both store kinds: non-temporal stores give what the memory system can deliver (the yardstick of
            // bandwidth_fraction); ordinary stores, as plainly compiled STREAM has them, pay an uncounted read per line.
            long elements = TriadBandwidth.ElementsForMegabytes(megabytes);
            var triad = TriadBandwidth.Measure(elements, backendThreads);
            var triadCached = TriadBandwidth.Measure(elements, backendThreads, nonTemporal: false);

            var report = new BenchReport(source, permutation is null ? "none" : "rcm", backend.Name, backendThreads, problem, triad, triadCached, timings);
            if (common.Json(parsed)) PrintJson(console, report);
            else PrintTable(console, report);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The options of <c>bench --batch</c>.</summary>
    private sealed record BatchRun(int Batch, int States, int Actions, int Branching, int? Locality, int Seed, double Discount,
        double Tolerance, int Repetitions, bool Solo);

    private static int RunBatch(CliConsole console, ParseResult parsed, CommonOptions common, BatchRun run, int threadCount)
    {
        if (run.Batch < 1)
            throw new UsageException($"--batch: {run.Batch} (must be >= 1)");
        if (!(run.Tolerance > 0) || double.IsInfinity(run.Tolerance))
            throw new UsageException($"--tol: {Printer.Number(run.Tolerance)} (must be finite and > 0)");
        if (run.Repetitions < 1)
            throw new UsageException($"--repetitions: {run.Repetitions} (must be >= 1)");
        // Seeds run up to seed + B - 1; refuse a wrap-around rather than silently reuse seeds.
        if ((long)run.Seed + run.Batch - 1 > int.MaxValue)
            throw new UsageException($"--seed: {run.Seed} with --batch {run.Batch} needs seeds up to {(long)run.Seed + run.Batch - 1} (at most {int.MaxValue})");
        var mdps = new Mdp[run.Batch];
        for (int b = 0; b < run.Batch; b++)
        {
            var options = new GarnetOptions
            {
                States = run.States, Actions = run.Actions, Branching = run.Branching, Locality = run.Locality,
                Discount = run.Discount, Seed = run.Seed + b,
            };
            mdps[b] = GeneratorOptionErrors.Build(() => Garnet.Create(options),
                nameof(GarnetOptions.States), nameof(GarnetOptions.Branching), nameof(GarnetOptions.Locality));
        }

        using var backend = common.CreateBackend(parsed, console, threadCount);
        int backendThreads = ThreadsOf(backend, threadCount);
        BatchTiming timing;
        if (run.Solo)
        {
            timing = BatchBenchmark.TimeSolo(mdps, backend, run.Tolerance, run.Repetitions);
        }
        else
        {
            var batched = backend as IBatchedBellmanBackend
                ?? throw new UsageException($"--backend: '{backend.Name}' has no batched value iteration");
            timing = BatchBenchmark.TimeBatched(BatchedMdp.FromModels(mdps), batched, run.Tolerance, run.Repetitions);
        }

        string mode = run.Solo ? "solo" : "batched";
        if (common.Json(parsed))
        {
            Printer.JsonObject(console,
            [
                ("mode", mode),
                ("backend", backend.Name),
                ("threads", backendThreads),
                ("batch", run.Batch),
                ("states", run.States),
                ("actions", run.Actions),
                ("branching", run.Branching),
                ("discount", run.Discount),
                ("tolerance", run.Tolerance),
                ("seed", run.Seed),
                ("repetitions", timing.Repetitions),
                ("seconds", timing.MedianSeconds),
                ("min_seconds", timing.MinSeconds),
                ("sweeps", timing.MaxSweeps),
                ("total_sweeps", timing.TotalSweeps),
                ("mdps_per_second", timing.MdpsPerSecond),
                ("converged", timing.AllConverged),
            ]);
        }
        else
        {
            console.Out.WriteLine($"{run.Batch} garnets S={run.States} A={run.Actions} K={run.Branching}" + (run.Locality is { } w ? $" W={w}" : "") +
                $" gamma={Printer.Number(run.Discount)} seeds {run.Seed}..{(long)run.Seed + run.Batch - 1}: {mode} value iteration to {Printer.Small(run.Tolerance)}, " +
                $"backend {backend.Name}, {backendThreads} thread{(backendThreads == 1 ? "" : "s")}");
            Printer.Pairs(console,
            [
                ("seconds (median)", Printer.Fixed(timing.MedianSeconds, 4)),
                ("seconds (min)", Printer.Fixed(timing.MinSeconds, 4)),
                ("repetitions", timing.Repetitions.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("sweeps (max)", timing.MaxSweeps.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("sweeps (total)", timing.TotalSweeps.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("MDPs per second", Printer.Fixed(timing.MdpsPerSecond, 0)),
                ("converged", timing.AllConverged ? "all" : "not all"),
            ]);
        }
        return ExitCodes.Success;
    }

    private static SweepMethod[] ParseMethods(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries);
        var parsedMethods = new List<SweepMethod>();
        foreach (string name in names)
        {
            var method = SweepMethodNames.Parse(name)
                ?? throw new UsageException($"--methods: '{name}' is not a sweep (choose from {string.Join(", ", SweepMethodNames.All.Select(m => m.Name()))})");
            if (parsedMethods.Contains(method))
                throw new UsageException($"--methods: '{name}' is listed twice");
            parsedMethods.Add(method);
        }
        return [.. parsedMethods];
    }

    // The interface does not expose a thread count: the cpu backend runs what it was built with, the others one.
    private static int ThreadsOf(IBellmanBackend backend, int requested)
        => backend is CpuBackend ? (requested == 0 ? Environment.ProcessorCount : requested) : 1;

    private static void PrintJson(CliConsole console, BenchReport r)
        => Printer.JsonObjects(console, r.Timings.Select(t => (IEnumerable<(string, object)>)
        [
            ("method", t.Name),
            ("backend", r.Backend),
            ("threads", r.Threads),
            ("states", r.Problem.StateCount),
            ("actions", r.Problem.ActionCount),
            ("nnz", r.Problem.Transitions.NonZeroCount),
            ("probabilities", r.Problem.Transitions.IsSingle ? "float32" : "float64"),
            ("reorder", r.Reorder),
            ("bytes_per_sweep", t.BytesPerSweep),
            ("sweeps", t.Sweeps),
            ("ms_per_sweep", t.MedianMilliseconds),
            ("min_ms", t.MinMilliseconds),
            ("effective_gbps", t.EffectiveGBps),
            ("triad_gbps", r.Triad.BestGBps),
            ("bandwidth_fraction", r.Fraction(t)),
            ("triad_cached_gbps", r.TriadCached.BestGBps),
            ("bandwidth_fraction_cached", t.EffectiveGBps / r.TriadCached.BestGBps),
        ]));

    private static void PrintTable(CliConsole console, BenchReport r)
    {
        console.Out.WriteLine($"{r.Source}: backend {r.Backend}, {r.Threads} thread{(r.Threads == 1 ? "" : "s")}, S={r.Problem.StateCount}, " +
            $"A={r.Problem.ActionCount}, nnz={r.Problem.Transitions.NonZeroCount} ({(r.Problem.Transitions.IsSingle ? "float32" : "float64")}), triad {Printer.Fixed(r.Triad.BestGBps, 1)} GB/s " +
            $"(non-temporal stores; {Printer.Fixed(r.TriadCached.BestGBps, 1)} with ordinary stores; best of {r.Triad.Repetitions}, {Printer.Fixed(r.Triad.Megabytes, 0)} MiB)");
        console.Out.WriteLine();
        Printer.Table(console, ["method", "ms/sweep", "min ms", "MB/sweep", "GB/s", "of triad", "of cached triad"],
            r.Timings.Select(t => new[]
            {
                t.Name, Printer.Fixed(t.MedianMilliseconds, 3), Printer.Fixed(t.MinMilliseconds, 3), Printer.Fixed(t.BytesPerSweep / 1e6, 1),
                Printer.Fixed(t.EffectiveGBps, 2), Printer.Fixed(100 * r.Fraction(t), 1) + "%",
                Printer.Fixed(100 * t.EffectiveGBps / r.TriadCached.BestGBps, 1) + "%",
            }));
        int entryBytes = SweepBenchmark.EntryBytes(r.Problem);
        console.Out.WriteLine($"median of {r.Timings[0].Sweeps} sweeps; GB/s = compulsory bytes ({entryBytes} nnz + 16 S A + 20 S; policy: its rows only) / median time");
    }

    /// <summary>Everything one bench run prints.</summary>
    private sealed record BenchReport(string Source, string Reorder, string Backend, int Threads, BellmanProblem Problem, TriadResult Triad, TriadResult TriadCached, IReadOnlyList<SweepTiming> Timings)
    {
        public double Fraction(SweepTiming t) => t.EffectiveGBps / Triad.BestGBps;
    }
}
