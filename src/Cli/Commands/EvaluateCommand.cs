using System.CommandLine;
using TabularRL.Cli.Output;
using TabularRL.Engine.Io;
using TabularRL.Engine.Solvers;

namespace TabularRL.Cli.Commands;

/// <summary><c>tabrl evaluate</c>: V^pi, Q^pi, advantages and J(pi) = mu0 . V^pi of a policy, under the model's or another reward.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file (.npz or .json)." };
        var policy = new Option<string>("--policy") { Description = "Policy (.npy [S,A] probabilities or [S] actions; or a result file's 'policy').", Required = true };
        var reward = new Option<string?>("--reward") { Description = "Evaluate under this reward (.npy [S,A], [S,A,S] or [nnz]) instead of the model's." };
        var command = new Command("evaluate", "Evaluate a policy exactly: V^pi, Q^pi, A^pi and J(pi).") { model, policy, reward };
        var common = CommonOptions.AddTo(command);
        command.SetAction(parsed =>
        {
            string? outPath = common.OutPath(parsed);
            string path = parsed.GetValue(model)!;
            var mdp = common.LoadModel(path, parsed);
            var pi = PolicyFile.Read(parsed.GetValue(policy)!, mdp, "--policy");
            if (parsed.GetValue(reward) is { } rewardPath)
                mdp = mdp.WithExpectedRewards(RewardFile.ReadExpected(rewardPath, mdp, "--reward"));
            using var backend = common.CreateBackend(parsed, console);
            var result = PolicyEvaluation.Evaluate(mdp, pi, backend);

            if (outPath is not null) ResultFile.Write(outPath, result);
            if (common.Json(parsed))
            {
                Printer.Json(console, ResultFile.ToArrays(result));
                return ExitCodes.Success;
            }
            Printer.Pairs(console,
            [
                ("model", $"{path}: S={mdp.StateCount}, A={mdp.ActionCount}, gamma={Printer.Number(mdp.Discount)}" + (mdp.Horizon is { } h ? $", horizon {h}" : "")),
                ("J(pi) = mu0 . V", Printer.Number(result.Objective)),
                ("error bound", Printer.Small(result.ErrorBound)),
            ]);
            console.Out.WriteLine();
            int shown = Math.Min(mdp.StateCount, Printer.MaxRows);
            Printer.Table(console, ["state", result.Horizon is null ? "V^pi" : "V^pi (stage 0)"],
                Enumerable.Range(0, shown).Select(s => new[] { s.ToString(), Printer.Number(result.Values[s]) }));
            Printer.Elided(console, shown, mdp.StateCount, "states");
            return ExitCodes.Success;
        });
        return command;
    }
}
