using System.CommandLine;
using TabularRL.Cli.Output;
using TabularRL.Engine.Io;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Ordering;

namespace TabularRL.Cli.Commands;

/// <summary><c>tabrl solve</c>: runs one solver on a model file, or on the built-in example when no model is given.</summary>
internal static class SolveCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<string?>("MODEL") { Description = "Model file (.npz or .json); omit it to solve a built-in example.", Arity = ArgumentArity.ZeroOrOne };
        var method = new Option<string>("--method") { Description = "vi, gs, pi, mpi, soft, kl or lp (linear programming with GLPK; needs Debian's libglpk40).", DefaultValueFactory = _ => "pi" };
        method.AcceptOnlyFromAmong("vi", "gs", "pi", "mpi", "soft", "kl", "lp");
        var tolerance = new Option<double>("--tol") { Description = "Stop when the certified error bound is at most EPS.", DefaultValueFactory = _ => 1e-8 };
        var maxIterations = new Option<int>("--max-iter") { Description = "Most sweeps (policy-improvement steps for pi and mpi).", DefaultValueFactory = _ => 1_000_000 };
        var temperature = new Option<double>("--temperature") { Description = "alpha for soft, lambda for kl.", DefaultValueFactory = _ => 1.0 };
        var reference = new Option<string?>("--reference") { Description = "Reference policy for kl (.npy [S,A] or [S]; default uniform)." };
        var sweeps = new Option<int>("--evaluation-sweeps") { Description = "Partial-evaluation sweeps per improvement for mpi.", DefaultValueFactory = _ => 20 };

        var command = new Command("solve", "Solve a model: values, Q, policy, greedy actions and a certified error bound.")
        {
            model, method, tolerance, maxIterations, temperature, reference, sweeps,
        };
        var common = CommonOptions.AddTo(command);
        var reorder = StateOrderOption.AddTo(command);
        command.SetAction(parsed =>
        {
            string? outPath = common.OutPath(parsed);
            string methodName = parsed.GetValue(method)!;
            string? path = parsed.GetValue(model);
            if (path is null)
            {
                var example = BuiltInExample.Solve();
                if (outPath is not null) ResultFile.Write(outPath, example);
                if (common.Json(parsed)) Printer.Json(console, ResultFile.ToArrays(example));
                else BuiltInExample.Explain(console, example);
                return ExitCodes.Success;
            }

            var mdp = common.LoadModel(path, parsed);
            using var backend = common.CreateBackend(parsed, console);
            using var progress = ProgressReporter.For(console, methodName);
            var options = new SolverOptions { Tolerance = parsed.GetValue(tolerance), MaxIterations = parsed.GetValue(maxIterations), Progress = progress };
            var (solved, permutation) = reorder.Apply(parsed, mdp, console, parsed.GetValue(common.Verbose));
            var result = Run(methodName, solved, permutation, options, parsed.GetValue(temperature), parsed.GetValue(reference), parsed.GetValue(sweeps), backend);
            if (permutation is not null) result = result.InOriginalOrder(permutation);
            progress?.Dispose();

            if (outPath is not null) ResultFile.Write(outPath, result);
            if (common.Json(parsed)) Printer.Json(console, ResultFile.ToArrays(result));
            else PrintTable(console, path, mdp, result);
            if (!result.Converged)
                console.Error.WriteLine($"warning: {result.Method} did not reach --tol {Printer.Small(options.Tolerance)} in {result.Iterations} iterations (error bound {Printer.Small(result.ErrorBound)}); the result says converged = false");
            return ExitCodes.Success;
        });
        return command;
    }

    // mdp may be the file's model renumbered by permutation; a reference policy read from a file follows it.
    private static SolveResult Run(string method, Mdp mdp, StatePermutation? permutation, SolverOptions options, double temperature, string? referencePath, int sweeps, IBellmanBackend backend)
    {
        if (referencePath is not null && method != "kl")
            throw new UsageException("--reference is only used by --method kl");
        if (method is "soft" or "kl" && !(temperature > 0 && double.IsFinite(temperature)))
            throw new UsageException($"--temperature: {temperature} (must be finite and > 0)");
        if (!(options.Tolerance > 0 && double.IsFinite(options.Tolerance)))
            throw new UsageException($"--tol: {options.Tolerance} (must be finite and > 0)");
        if (options.MaxIterations < 1)
            throw new UsageException($"--max-iter: {options.MaxIterations} (must be >= 1)");
        if (sweeps < 1)
            throw new UsageException($"--evaluation-sweeps: {sweeps} (must be >= 1)");
        return method switch
        {
            "vi" => ValueIteration.Solve(mdp, options, backend),
            "gs" => GaussSeidelValueIteration.Solve(mdp, options, backend),
            "pi" => PolicyIteration.Solve(mdp, new PolicyIterationOptions { MaxIterations = options.MaxIterations, Progress = options.Progress }, backend),
            "mpi" => ModifiedPolicyIteration.Solve(mdp, new ModifiedPolicyIterationOptions { Tolerance = options.Tolerance, MaxIterations = options.MaxIterations, EvaluationSweeps = sweeps, Progress = options.Progress }, backend),
            "lp" => LinearProgramming.Solve(mdp, backend),
            "soft" => SoftValueIteration.Solve(mdp, new SoftValueIterationOptions { Tolerance = options.Tolerance, MaxIterations = options.MaxIterations, Temperature = temperature, Progress = options.Progress }, backend),
            "kl" => KlValueIteration.Solve(mdp, new KlValueIterationOptions
            {
                Tolerance = options.Tolerance, MaxIterations = options.MaxIterations, Coefficient = temperature, Progress = options.Progress,
                Reference = referencePath is null ? null : Reordered(PolicyFile.Read(referencePath, mdp, "--reference"), permutation),
            }, backend),
            _ => throw new UsageException($"--method: unknown method '{method}'"),
        };
    }

    private static Policy Reordered(Policy policy, StatePermutation? permutation) => permutation is null ? policy : policy.Reordered(permutation);

    internal static void PrintTable(CliConsole console, string source, Mdp mdp, SolveResult result)
    {
        double objective = 0;
        var mu0 = mdp.InitialDistribution;
        for (int s = 0; s < mdp.StateCount; s++) objective += mu0[s] * result.Values[s];
        Printer.Pairs(console,
        [
            ("model", $"{source}: S={mdp.StateCount}, A={mdp.ActionCount}, gamma={Printer.Number(mdp.Discount)}" + (mdp.Horizon is { } h ? $", horizon {h}" : ", discounted")),
            ("method", result.Method),
            ("iterations", result.Iterations.ToString()),
            ("residual", Printer.Small(result.Residual)),
            ("error bound", Printer.Small(result.ErrorBound)),
            ("converged", result.Converged ? "yes" : "no"),
            ("J = mu0 . V", Printer.Number(objective)),
        ]);
        console.Out.WriteLine();
        int shown = Math.Min(mdp.StateCount, Printer.MaxRows);
        string stage = result.Horizon is null ? "" : " (stage 0)";
        Printer.Table(console, ["state", "value" + stage, "action"],
            Enumerable.Range(0, shown).Select(s => new[] { s.ToString(), Printer.Number(result.Values[s]), result.Actions[s].ToString() }));
        Printer.Elided(console, shown, mdp.StateCount, "states");
    }
}
