using System.CommandLine;
using TabularRL.Cli.Output;
using TabularRL.Engine.Io;
using TabularRL.Theory.Regret;

namespace TabularRL.Cli.Commands;

/// <summary><c>tabrl regret</c>: normalised regret under R1 of a policy optimal for R2 (THEORY.md section 3).</summary>
internal static class RegretCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("regret", "Regret under R1 of a policy optimal for R2, normalised: (J1(pi1*) - J1(pi2*)) / (J1(pi1*) - J1(pi1_worst)).");
        var pair = new RewardPair(command);
        var common = CommonOptions.AddTo(command);
        command.SetAction(parsed =>
        {
            string? outPath = common.OutPath(parsed);
            var (mdp, first, second) = pair.Load(parsed, common);
            using var backend = common.CreateBackend(parsed, console);
            var result = NormalisedRegret.Compute(mdp, first, second, backend);

            (string Key, object Value)[] fields =
            [
                ("regret", result.Value),
                ("optimal_objective", result.BestObjective),
                ("worst_objective", result.WorstObjective),
                ("objective_of_other", result.ObjectiveOfOther),
            ];
            if (outPath is not null)
                ArrayFiles.Write(outPath, fields.Select(f => new KeyValuePair<string, NdArray>(f.Key, NdArray.Scalar((double)f.Value)))
                    .Append(new("actions_of_other", NdArray.FromInts(result.OtherActions, result.OtherActions.Length))), "result");
            if (common.Json(parsed))
            {
                Printer.JsonObject(console, fields);
                return ExitCodes.Success;
            }
            Printer.Pairs(console,
            [
                ("model", $"{pair.ModelPath(parsed)}: S={mdp.StateCount}, A={mdp.ActionCount}, gamma={Printer.Number(mdp.Discount)}"),
                ("regret", Printer.Number(result.Value)),
                ("J1(pi1*)", Printer.Number(result.BestObjective)),
                ("J1(pi1_worst)", Printer.Number(result.WorstObjective)),
                ("J1(pi2*)", Printer.Number(result.ObjectiveOfOther)),
            ]);
            return ExitCodes.Success;
        });
        return command;
    }
}
