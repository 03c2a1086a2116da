using System.CommandLine;
using TabularRL.Cli.Output;
using TabularRL.Engine.Io;
using TabularRL.Theory.Metrics;

namespace TabularRL.Cli.Commands;

/// <summary><c>tabrl distance</c>: a STARC, EPIC or DARD distance between two rewards on one model (THEORY.md section 3).</summary>
internal static class DistanceCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("distance", "Distance between two rewards: STARC (VAL or minimal canonicalisation), EPIC or DARD.");
        var pair = new RewardPair(command);
        var metric = new Option<string>("--metric")
        {
            Description = "starc-val (VAL canonicalisation, uniform policy), starc-min (minimal for L2), epic or dard (uniform D_S, D_A and coverage).",
            Required = true,
        };
        var norm = new Option<string>("--norm") { Description = "l1, l2 or linf: the norm that standardises and compares STARC's canonical rewards (epic and dard take l2 only).", DefaultValueFactory = _ => "l2" };
        command.Options.Add(metric);
        command.Options.Add(norm);
        var common = CommonOptions.AddTo(command);
        command.SetAction(parsed =>
        {
            string? outPath = common.OutPath(parsed);
            string name = parsed.GetValue(metric)!;
            // Checked here rather than by the parser, whose message does not name the option.
            if (!RewardMetrics.Names.Contains(name))
                throw new UsageException($"--metric: '{name}' is not one of {string.Join(", ", RewardMetrics.Names)}");
            var kind = parsed.GetValue(norm) switch
            {
                "l1" => NormKind.L1,
                "l2" => NormKind.L2,
                "linf" => NormKind.LInf,
                var other => throw new UsageException($"--norm: '{other}' is not one of l1, l2, linf"),
            };
            var (mdp, first, second) = pair.Load(parsed, common);
            using var backend = common.CreateBackend(parsed, console);
            double distance = RewardMetrics.Create(name, kind, mdp, backend).Distance(first, second);

            if (outPath is not null) ArrayFiles.Write(outPath, [new("distance", NdArray.Scalar(distance))], "result");
            if (common.Json(parsed))
            {
                Printer.JsonObject(console, [("distance", distance)]);
                return ExitCodes.Success;
            }
            Printer.Pairs(console,
            [
                ("model", $"{pair.ModelPath(parsed)}: S={mdp.StateCount}, A={mdp.ActionCount}, gamma={Printer.Number(mdp.Discount)}"),
                ("metric", $"{name}" + (name.StartsWith("starc", StringComparison.Ordinal) ? $", norm {parsed.GetValue(norm)}" : " (Pearson distance)")),
                ("distance", Printer.Number(distance)),
            ]);
            return ExitCodes.Success;
        });
        return command;
    }
}
