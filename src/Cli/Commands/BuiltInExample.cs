using TabularRL.Cli.Output;
using TabularRL.Engine.Generators;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels.Backends;

namespace TabularRL.Cli.Commands;

/// <summary>What <c>tabrl solve</c> prints without a model: a small gridworld solved and explained for a newcomer.</summary>
internal static class BuiltInExample
{
    private const int Width = 4, Height = 4;

    private static readonly GridworldOptions Options = new()
    {
        Width = Width, Height = Height, Slip = 0.2, Discount = 0.95,
        Walls = [(1, 1)], Traps = [(3, 1)], Goals = [(3, 3)], Start = (0, 0),
    };

    /// <summary>Solves the example exactly by policy iteration.</summary>
    public static SolveResult Solve()
    {
        using var backend = new CpuBackend();
        return PolicyIteration.Solve(Gridworld.Create(Options), new PolicyIterationOptions(), backend);
    }

    /// <summary>Explains the example and its solution in words, values and arrows.</summary>
    public static void Explain(CliConsole console, SolveResult result)
    {
        var options = Options;
        var cells = Gridworld.Layout(options);
        var o = console.Out;
        o.WriteLine("TabularRL built-in example (no MODEL given): a 4x4 slippery gridworld.");
        o.WriteLine();
        o.WriteLine("  The agent starts in the top-left cell S. A move goes the chosen way with probability 0.8");
        o.WriteLine("  and slips to one of the three other directions otherwise; bumping into a wall (#) or the");
        o.WriteLine("  edge leaves it in place. Entering the goal G pays +1 and the trap T pays -1; both end the");
        o.WriteLine($"  episode. Future rewards are discounted by gamma = {options.Discount} per step.");
        o.WriteLine();
        o.WriteLine($"Solved exactly by policy iteration: {result.Iterations} improvement steps, certified error bound {Printer.Small(result.ErrorBound)}.");
        o.WriteLine();
        o.WriteLine("Optimal values V*(s): the expected discounted return from each cell under the best policy.");
        for (int y = 0; y < Height; y++)
        {
            o.Write("  ");
            for (int x = 0; x < Width; x++)
            {
                int s = Gridworld.StateIndex(Width, x, y);
                o.Write(cells[s] == GridCell.Free ? $"{result.Values[s],8:0.000}" : $"{Symbol(cells[s]),8}");
            }
            o.WriteLine();
        }
        o.WriteLine();
        o.WriteLine("Optimal policy: the best move in each cell (^ up, > right, v down, < left; ties go to the lowest action).");
        for (int y = 0; y < Height; y++)
        {
            o.Write("  ");
            for (int x = 0; x < Width; x++)
            {
                int s = Gridworld.StateIndex(Width, x, y);
                char c = cells[s] == GridCell.Free ? "^>v<"[result.Actions[s]] : Symbol(cells[s]);
                o.Write($"{(x == 0 && y == 0 ? 'S' : ' ')}{c} ");
            }
            o.WriteLine();
        }
        o.WriteLine();
        o.WriteLine("  Note how the policy near the trap moves away from it: with slipping, the safe detour is worth more.");
        o.WriteLine();
        o.WriteLine("Next steps:");
        o.WriteLine("  tabrl generate gridworld --width 10 --height 10 --wall-fraction 0.1 --seed 1 --out grid.npz");
        o.WriteLine("  tabrl solve grid.npz --method vi --tol 1e-10 --out result.npz");
        o.WriteLine("  python3 -c \"import numpy as np; r = np.load('result.npz'); print(r['values'], r['error_bound'])\"");
        o.WriteLine("  tabrl solve --help     (methods: vi, gs, pi, mpi, soft, kl)");
    }

    private static char Symbol(GridCell cell) => cell switch
    {
        GridCell.Wall => '#',
        GridCell.Goal => 'G',
        GridCell.Trap => 'T',
        _ => '.',
    };
}
