using System.CommandLine;
using TabularRL.Cli.Output;
using TabularRL.Engine.Io;
using TabularRL.Theory.Behaviour;

namespace TabularRL.Cli.Commands;

/// <summary><c>tabrl infer</c>: a reward that a behavioural model maps to a given policy (THEORY.md section 4).</summary>
internal static class InferCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file (.npz or .json), infinite-horizon." };
        var policy = new Option<string>("--policy") { Description = "The observed policy (.npy [S,A] probabilities or [S] actions; or a result file's 'policy').", Required = true };
        var behaviour = new Option<string>("--model")
        {
            Description = "boltzmann (b(R) proportional to exp(Q*/T)), mce (soft-optimal with temperature T) or optimal (uniform over argmax Q*).",
            Required = true,
        };
        var temperature = new Option<double>("--temperature") { Description = "T > 0: 1/beta for boltzmann, alpha for mce; unused by optimal.", DefaultValueFactory = _ => 1.0 };
        var command = new Command("infer", "Infer a reward that a behavioural model maps to the policy; writes it as .npy [S,A].") { model, policy, behaviour, temperature };
        var common = CommonOptions.AddTo(command);
        command.Options.Single(o => o.Name == "--out").Description = "Where to write the reward (.npy [S,A]); required.";
        command.SetAction(parsed =>
        {
            string outPath = parsed.GetValue(common.Out) ?? throw new UsageException("--out: required (the .npy file for the reward)");
            if (!outPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--out: '{outPath}' must end in .npy");
            string? directory = Path.GetDirectoryName(Path.GetFullPath(outPath));
            if (directory is not null && !Directory.Exists(directory))
                throw new UsageException($"--out: directory '{directory}' does not exist");
            string name = parsed.GetValue(behaviour)!;
            double t = parsed.GetValue(temperature);
            if (!(t > 0) || !double.IsFinite(t))
                throw new UsageException($"--temperature: {t} is not finite and > 0");
            string path = parsed.GetValue(model)!;
            var mdp = common.LoadModel(path, parsed);
            var pi = PolicyFile.Read(parsed.GetValue(policy)!, mdp, "--policy");
            using var backend = common.CreateBackend(parsed, console);
            IBehaviourModel f = name switch
            {
                "boltzmann" => new BoltzmannBehaviour(mdp, 1 / t, backend),
                "mce" => new MaxCausalEntropyBehaviour(mdp, t, backend),
                "optimal" => new OptimalBehaviour(mdp, backend),
                _ => throw new UsageException($"--model: '{name}' is not one of boltzmann, mce, optimal"),
            };
            var reward = f.Invert(pi);
            int S = mdp.StateCount, A = mdp.ActionCount;
            // The inverted rewards do not depend on s': write R(s,a) = R(s,a,0).
            var rewardSA = new double[S * A];
            for (int sa = 0; sa < rewardSA.Length; sa++) rewardSA[sa] = reward[sa / A, sa % A, 0];
            RewardFile.Write(outPath, rewardSA, S, A);

            if (common.Json(parsed))
            {
                Printer.JsonObject(console, [("out", outPath), ("model", name), ("temperature", t)]);
                return ExitCodes.Success;
            }
            Printer.Pairs(console,
            [
                ("model", $"{path}: S={S}, A={A}, gamma={Printer.Number(mdp.Discount)}"),
                ("behavioural model", name == "optimal" ? name : $"{name}, temperature {Printer.Number(t)}"),
                ("reward", $"{outPath} [S,A]"),
            ]);
            return ExitCodes.Success;
        });
        return command;
    }
}
