using System.CommandLine;
using TabularRL.Cli.Output;
using TabularRL.Theory.Experiments;

namespace TabularRL.Cli.Commands;

/// <summary><c>tabrl experiment NAME</c>: one of the experiments behind the rate and data claims, with its points, its fitted slope and pass/fail.</summary>
internal static class ExperimentCommand
{
    public static Command Create(CliConsole console)
    {
        var name = new Argument<string>("NAME") { Description = "The experiment: " + string.Join(", ", ExperimentCatalogue.All.Select(e => e.Id.ToLowerInvariant())) + "." };
        var seed = new Option<int>("--seed") { Description = "Seed of every random draw; the same seed replays the same report.", DefaultValueFactory = _ => 1 };
        var full = new Option<bool>("--full") { Description = "The slow, full-size version (more sizes and replicates) instead of the CI-sized default." };
        var command = new Command("experiment", "Run an experiment behind a claim (DCPPO rate, BC rate, ...): its points, the fitted log-log slope with a 95% bootstrap interval, and pass/fail against the claimed order; exit 1 if it fails.")
            { name, seed, full };
        // No model is read, so --row-tolerance does not apply; the solves inside still honour --backend.
        var common = CommonOptions.AddTo(command, computes: false);
        command.Options.Add(common.Backend);
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(common.Out) is not null)
                throw new UsageException("--out: experiment writes no file; use --format json");
            var experiment = ExperimentCatalogue.Find(parsed.GetValue(name)!);
            using var backend = common.CreateBackend(parsed, console, threads: 1);
            var report = experiment.Run(new ExperimentSettings(parsed.GetValue(seed), parsed.GetValue(full), backend));
            if (common.Json(parsed)) PrintJson(console, report, experiment.Source);
            else PrintTable(console, report);
            return report.Passed ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static void PrintJson(CliConsole console, ExperimentReport report, string source)
    {
        Printer.JsonObject(console,
        [
            ("id", report.Id), ("source", source), ("quantity", report.Quantity), ("variable", report.Variable),
            ("slope", report.Fit is null ? null! : report.Fit.Slope),
            ("slope_interval", report.Fit is null ? null! : new[] { report.Fit.Lower, report.Fit.Upper }),
            ("intercept", report.Fit is null ? null! : report.Fit.Intercept),
            ("observed", report.Observed), ("expected", report.Expected), ("result", report.Passed ? "pass" : "fail"),
            ("instances", report.Instances), ("detail", report.Detail),
            ("points", report.Points.Select(p => new (string, object)[] { ("x", p.X), ("mean", p.Mean), ("standard_error", p.StandardError), ("replicates", p.Replicates) })),
        ]);
    }

    private static void PrintTable(CliConsole console, ExperimentReport report)
    {
        console.Out.WriteLine($"{report.Id}: {report.Quantity} against {report.Variable}");
        Printer.Table(console, [report.Variable, "mean", "std. error", "replicates"],
            report.Points.Select(p => new[] { Printer.Number(p.X), Printer.Small(p.Mean), Printer.Small(p.StandardError), p.Replicates.ToString() }));
        if (report.Fit is not null)
            console.Out.WriteLine($"log-log slope {report.Fit} ({report.Fit.Level:P0} bootstrap interval)");
        console.Out.WriteLine($"{(report.Passed ? "pass" : "FAIL")}: observed {report.Observed}; expected {report.Expected}");
        if (report.Detail.Length > 0) console.Out.WriteLine(report.Detail);
    }
}
