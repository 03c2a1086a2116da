using System.CommandLine;
using TabularRL.Cli.Output;
using TabularRL.Engine.Io;
using TabularRL.Engine.Model;

namespace TabularRL.Cli.Commands;

/// <summary><c>tabrl info</c>: validates a model and summarises it.</summary>
internal static class InfoCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file (.npz or .json)." };
        var command = new Command("info", "Validate a model and summarise it (exit 2 with the first violation if it is invalid).") { model };
        var common = CommonOptions.AddTo(command, computes: false);
        var tolerance = new Option<double>("--row-tolerance") { Description = "How far a transition row may sum from 1.", DefaultValueFactory = _ => 1e-9 };
        command.Options.Add(tolerance);
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(common.Out) is not null)
                throw new UsageException("--out: info writes no file");
            string path = parsed.GetValue(model)!;
            Mdp mdp;
            try
            {
                mdp = ModelFile.Read(path, parsed.GetValue(tolerance));
            }
            catch (ModelValidationException e)
            {
                throw new UsageException($"{path}: {e.Message}");
            }
            Print(console, path, ModelSummary.Of(mdp), common.Json(parsed));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static void Print(CliConsole console, string path, ModelSummary m, bool json)
    {
        if (json)
        {
            Printer.Json(console,
            [
                new("path", NdArray.Scalar(path)),
                new("num_states", NdArray.Scalar((long)m.StateCount)),
                new("num_actions", NdArray.Scalar((long)m.ActionCount)),
                new("discount", NdArray.Scalar(m.Discount)),
                .. m.Horizon is { } h ? [new KeyValuePair<string, NdArray>("horizon", NdArray.Scalar((long)h))] : Array.Empty<KeyValuePair<string, NdArray>>(),
                new("nnz", NdArray.Scalar(m.NonZeroCount)),
                new("branching_min", NdArray.Scalar(m.MinBranching)),
                new("branching_mean", NdArray.Scalar(m.MeanBranching)),
                new("branching_max", NdArray.Scalar(m.MaxBranching)),
                new("absorbing_states", NdArray.Scalar((long)m.AbsorbingStates)),
                new("rewards_depend_on_next_state", NdArray.Scalar(m.RewardsDependOnNextState)),
                new("reward_min", NdArray.Scalar(m.MinReward)),
                new("reward_max", NdArray.Scalar(m.MaxReward)),
                new("bytes_per_sweep", NdArray.Scalar(m.BytesPerSweep)),
            ]);
            return;
        }
        Printer.Pairs(console,
        [
            ("model", path + " (valid)"),
            ("states", m.StateCount.ToString()),
            ("actions", m.ActionCount.ToString()),
            ("discount", Printer.Number(m.Discount)),
            ("horizon", m.Horizon is { } h2 ? $"{h2} ({(m.TransitionStages > 1 ? "stage-dependent" : "stationary")} transitions, {(m.RewardStages > 1 ? "stage-dependent" : "stationary")} rewards)" : "none (discounted)"),
            ("transitions", $"{m.NonZeroCount} entries; next states per (s,a): min {m.MinBranching}, mean {m.MeanBranching:0.##}, max {m.MaxBranching}"),
            ("absorbing states", m.AbsorbingStates.ToString()),
            ("rewards", $"{(m.RewardsDependOnNextState ? "R(s,a,s')" : "R(s,a)")}; expected reward in [{Printer.Number(m.MinReward)}, {Printer.Number(m.MaxReward)}]"),
            ("initial support", $"{m.InitialSupport} of {m.StateCount} states"),
            ("bytes per sweep", $"{m.BytesPerSweep} (12 nnz + 16 S A + 20 S)"),
        ]);
    }
}
