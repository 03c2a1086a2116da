using System.CommandLine;
using TabularRL.Cli.Output;
using TabularRL.Engine.Generators;
using TabularRL.Engine.Io;
using TabularRL.Engine.Model;

namespace TabularRL.Cli.Commands;

/// <summary><c>tabrl generate KIND</c>: writes a seeded benchmark model (garnet, gridworld, chain, forest, random).</summary>
internal static class GenerateCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("generate", "Write a generated model; the same seed gives the same model.");
        command.Subcommands.Add(Garnet(console));
        command.Subcommands.Add(Grid(console));
        command.Subcommands.Add(ChainKind(console));
        command.Subcommands.Add(ForestKind(console));
        command.Subcommands.Add(RandomKind(console));
        return command;
    }

    private static Command Garnet(CliConsole console)
    {
        var states = Int("--states", "S, the number of states.", 1000);
        var actions = Int("--actions", "A, the number of actions.", 4);
        var branching = Int("--branching", "K, distinct next states per (s,a).", 10);
        var locality = new Option<int?>("--locality") { Description = "Draw next states within W of s (wrapping around), as in grid-like problems." };
        var command = new Command("garnet", "Random sparse MDP (Archibald et al. 1995): K next states per (s,a), rewards U[0,1).") { states, actions, branching, locality };
        return WithShared(command, console, 0.95, (parsed, discount, seed) => Engine.Generators.Garnet.Create(new GarnetOptions
        {
            States = parsed.GetValue(states), Actions = parsed.GetValue(actions), Branching = parsed.GetValue(branching),
            Locality = parsed.GetValue(locality), Discount = discount, Seed = seed,
        }));
    }

    private static Command Grid(CliConsole console)
    {
        var width = Int("--width", "Cells per row.", 5);
        var height = Int("--height", "Rows.", 5);
        var slip = Double("--slip", "Probability that a move goes in one of the three other directions.", 0.1);
        var walls = Cells("--wall", "A wall cell X,Y (repeatable).");
        var goals = Cells("--goal", "A goal cell X,Y paying +1 on arrival (repeatable; default the bottom-right cell).");
        var traps = Cells("--trap", "A trap cell X,Y paying -1 on arrival (repeatable).");
        var start = new Option<string>("--start") { Description = "Start cell X,Y.", DefaultValueFactory = _ => "0,0" };
        var wallFraction = Double("--wall-fraction", "Fraction of other cells turned into walls at random (seeded).", 0);
        var command = new Command("gridworld", "Slippery gridworld; actions 0 up, 1 right, 2 down, 3 left; goals and traps absorbing.")
        {
            width, height, slip, walls, goals, traps, start, wallFraction,
        };
        return WithShared(command, console, 0.95, (parsed, discount, seed) =>
        {
            var goalCells = ParseCells(parsed.GetValue(goals), "--goal");
            return Gridworld.Create(new GridworldOptions
            {
                Width = parsed.GetValue(width), Height = parsed.GetValue(height), Slip = parsed.GetValue(slip),
                Walls = ParseCells(parsed.GetValue(walls), "--wall"), Goals = goalCells.Count == 0 ? null : goalCells,
                Traps = ParseCells(parsed.GetValue(traps), "--trap"), Start = ParseCell(parsed.GetValue(start)!, "--start"),
                RandomWallFraction = parsed.GetValue(wallFraction), Discount = discount, Seed = seed,
            });
        });
    }

    private static Command ChainKind(CliConsole console)
    {
        var states = Int("--states", "Length of the chain.", 6);
        var command = new Command("chain", "RiverSwim (Strehl and Littman 2008): action 0 swims left, 1 right against the current.") { states };
        return WithShared(command, console, 0.95, (parsed, discount, _) => Chain.Create(new ChainOptions { States = parsed.GetValue(states), Discount = discount }));
    }

    private static Command ForestKind(CliConsole console)
    {
        var states = Int("--states", "S, the ages of the forest.", 3);
        var r1 = Double("--r1", "Reward for waiting in the oldest state.", 4);
        var r2 = Double("--r2", "Reward for cutting in the oldest state.", 2);
        var p = Double("--fire-probability", "Probability of a fire each year.", 0.1);
        var command = new Command("forest", "Forest management of the MDP toolboxes: action 0 waits, 1 cuts.") { states, r1, r2, p };
        return WithShared(command, console, 0.9, (parsed, discount, _) => Forest.Create(new ForestOptions
        {
            States = parsed.GetValue(states), RewardWait = parsed.GetValue(r1), RewardCut = parsed.GetValue(r2),
            FireProbability = parsed.GetValue(p), Discount = discount,
        }));
    }

    private static Command RandomKind(CliConsole console)
    {
        var states = Int("--states", "S.", 10);
        var actions = Int("--actions", "A.", 3);
        var zeros = Double("--zero-fraction", "Probability that a transition is impossible (each row keeps one).", 0);
        var sas = new Option<bool>("--next-state-rewards") { Description = "Rewards R(s,a,s') instead of R(s,a)." };
        var command = new Command("random", "Small dense random MDP: Dirichlet rows, Gaussian rewards.") { states, actions, zeros, sas };
        return WithShared(command, console, 0.9, (parsed, discount, seed) => RandomMdp.Create(new RandomMdpOptions
        {
            States = parsed.GetValue(states), Actions = parsed.GetValue(actions), ZeroFraction = parsed.GetValue(zeros),
            RewardsDependOnNextState = parsed.GetValue(sas), Discount = discount, Seed = seed,
        }));
    }

    // Adds --discount, --seed, --horizon, --out and --format, and the action that builds, writes and summarises.
    private static Command WithShared(Command command, CliConsole console, double defaultDiscount, Func<ParseResult, double, int, Mdp> build)
    {
        var discount = Double("--discount", "gamma.", defaultDiscount);
        var seed = Int("--seed", "Random seed.", 0);
        var horizon = new Option<int?>("--horizon") { Description = "Make the model episodic with horizon H (same P and R at every stage)." };
        command.Options.Add(discount);
        command.Options.Add(seed);
        command.Options.Add(horizon);
        var common = CommonOptions.AddTo(command, computes: false);
        common.Out.Required = true;
        command.SetAction(parsed =>
        {
            string path = common.OutPath(parsed)!;
            double gamma = parsed.GetValue(discount);
            int? horizonValue = parsed.GetValue(horizon);
            // The generators build discounted models (gamma < 1) while an episodic one may have gamma = 1 (INTERFACES.md
            // section 1), so with a horizon the discount is set, and range-checked, by WithHorizon.
            var mdp = Build(build, parsed, horizonValue is null ? gamma : 0, parsed.GetValue(seed));
            if (horizonValue is { } h) mdp = mdp.WithHorizon(h, gamma);
            ModelFile.Write(path, mdp);
            InfoCommand.Print(console, path, ModelSummary.Of(mdp), common.Json(parsed));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Mdp Build(Func<ParseResult, double, int, Mdp> build, ParseResult parsed, double discount, int seed)
        => GeneratorOptionErrors.Build(() => build(parsed, discount, seed));

    private static Option<int> Int(string name, string description, int defaultValue)
        => new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static Option<double> Double(string name, string description, double defaultValue)
        => new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static Option<string[]> Cells(string name, string description)
        => new(name) { Description = description, DefaultValueFactory = _ => [] };

    private static List<(int X, int Y)> ParseCells(string[]? cells, string option)
        => (cells ?? []).Select(c => ParseCell(c, option)).ToList();

    private static (int X, int Y) ParseCell(string text, string option)
    {
        var parts = text.Split(',');
        if (parts.Length == 2 && int.TryParse(parts[0], out int x) && int.TryParse(parts[1], out int y))
            return (x, y);
        throw new UsageException($"{option}: '{text}' is not a cell X,Y");
    }
}
