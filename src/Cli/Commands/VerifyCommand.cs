using System.CommandLine;
using System.Diagnostics;
using TabularRL.Cli.Output;
using TabularRL.Theory.Claims;

namespace TabularRL.Cli.Commands;

/// <summary><c>tabrl verify</c>: the claims catalogue (THEORY.md section 8) on fresh random instances, a row per claim.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliConsole console)
    {
        var seed = new Option<int>("--seed") { Description = "Seed of the random instances (each claim draws from its own stream).", DefaultValueFactory = _ => 1 };
        var instances = new Option<int>("--instances") { Description = "Random instances per claim.", DefaultValueFactory = _ => 2000 };
        var only = new Option<string?>("--only") { Description = "Comma-separated claim ids to run (default: all)." };
        var command = new Command("verify", "Check the theory's claims numerically on random instances; exit 1 if one fails.") { seed, instances, only };
        // No model is read, so --row-tolerance does not apply; the solves inside still honour --backend.
        var common = CommonOptions.AddTo(command, computes: false);
        command.Options.Add(common.Backend);
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(common.Out) is not null)
                throw new UsageException("--out: verify writes no file");
            int count = parsed.GetValue(instances);
            if (count < 1) throw new UsageException($"--instances: {count} is not >= 1");
            var names = (parsed.GetValue(only) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var claims = ClaimCatalogue.Select(names);
            using var backend = common.CreateBackend(parsed, console, threads: 1);
            var rows = new List<(ClaimResult Result, double Seconds)>();
            foreach (var claim in claims)
            {
                var clock = Stopwatch.StartNew();
                var result = ClaimCatalogue.Run([claim], parsed.GetValue(seed), count, backend).Single();
                rows.Add((result, clock.Elapsed.TotalSeconds));
            }
            bool allPassed = rows.All(r => r.Result.Passed);
            if (common.Json(parsed))
            {
                Printer.JsonObjects(console, rows.Select(r => new (string, object)[]
                {
                    ("id", r.Result.Id), ("source", r.Result.Source), ("instances", r.Result.Instances), ("observed", r.Result.Observed),
                    ("expected", r.Result.Expected), ("result", r.Result.Passed ? "pass" : "fail"), ("detail", r.Result.Detail), ("seconds", r.Seconds),
                }));
            }
            else
            {
                Printer.Table(console, ["claim", "result", "instances", "observed", "bound or expectation", "source"],
                    rows.Select(r => new[] { r.Result.Id, r.Result.Passed ? "pass" : "FAIL", r.Result.Instances.ToString(), r.Result.Observed, r.Result.Expected, r.Result.Source }));
                foreach (var (result, _) in rows.Where(r => !r.Result.Passed))
                    console.Out.WriteLine($"{result.Id} failed at {result.Detail}");
                console.Out.WriteLine($"{rows.Count(r => r.Result.Passed)} of {rows.Count} claims hold (seed {parsed.GetValue(seed)}, {count} instances each, {rows.Sum(r => r.Seconds):0.0} s)");
            }
            return allPassed ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
