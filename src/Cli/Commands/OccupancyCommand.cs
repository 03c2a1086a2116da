using System.CommandLine;
using TabularRL.Cli.Output;
using TabularRL.Engine.Io;
using TabularRL.Engine.Solvers;

namespace TabularRL.Cli.Commands;

/// <summary><c>tabrl occupancy</c>: discounted state-action occupancy of a policy (per stage for finite horizon).</summary>
internal static class OccupancyCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file (.npz or .json)." };
        var policy = new Option<string>("--policy") { Description = "Policy (.npy [S,A] probabilities or [S] actions; or a result file's 'policy').", Required = true };
        var command = new Command("occupancy", "Discounted occupancy eta(s,a) = sum_t gamma^t Pr(s_t = s, a_t = a); sums to 1/(1-gamma).") { model, policy };
        var common = CommonOptions.AddTo(command);
        command.SetAction(parsed =>
        {
            string? outPath = common.OutPath(parsed);
            string path = parsed.GetValue(model)!;
            var mdp = common.LoadModel(path, parsed);
            var pi = PolicyFile.Read(parsed.GetValue(policy)!, mdp, "--policy");
            using var backend = common.CreateBackend(parsed, console);
            var result = OccupancyMeasure.Compute(mdp, pi, backend);

            if (outPath is not null) ResultFile.Write(outPath, result, mdp.StateCount, mdp.ActionCount);
            if (common.Json(parsed))
            {
                Printer.Json(console, ResultFile.ToArrays(result, mdp.StateCount, mdp.ActionCount));
                return ExitCodes.Success;
            }
            double total = 0;
            foreach (double x in result.StateActionOccupancy) total += x;
            string expected = mdp.Horizon is { } h
                ? (mdp.Discount == 1 ? $"{h} (= H)" : Printer.Number((1 - Math.Pow(mdp.Discount, h)) / (1 - mdp.Discount)) + " (= (1-gamma^H)/(1-gamma))")
                : Printer.Number(1 / (1 - mdp.Discount)) + " (= 1/(1-gamma))";
            Printer.Pairs(console,
            [
                ("model", $"{path}: S={mdp.StateCount}, A={mdp.ActionCount}, gamma={Printer.Number(mdp.Discount)}" + (mdp.Horizon is { } hh ? $", horizon {hh}" : "")),
                ("total mass", Printer.Number(total)),
                ("expected mass", expected),
                ("error bound (l1)", Printer.Small(result.ErrorBound)),
            ]);
            console.Out.WriteLine();
            int S = mdp.StateCount;
            var totals = new double[S];
            for (int i = 0; i < result.StateOccupancy.Length; i++) totals[i % S] += result.StateOccupancy[i];
            var top = Enumerable.Range(0, S).OrderByDescending(s => totals[s]).Take(Printer.MaxRows).ToList();
            Printer.Table(console, ["state", mdp.IsFiniteHorizon ? "occupancy (all stages)" : "occupancy"],
                top.Select(s => new[] { s.ToString(), Printer.Number(totals[s]) }));
            Printer.Elided(console, top.Count, S, "states");
            return ExitCodes.Success;
        });
        return command;
    }
}
