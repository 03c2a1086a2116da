using TabularRL.Engine.Model;

namespace TabularRL.Engine.Generators;

/// <summary>Slippery gridworlds with walls, absorbing goals (+1) and traps (-1).</summary>
/// <remarks>
/// In the spirit of the 4x3 world of Russell and Norvig, "Artificial Intelligence: A Modern Approach", section 17.1,
/// except that a slip goes in any of the three other directions with equal probability (not only sideways).
/// Conventions:
/// <list type="bullet">
/// <item>State of cell (x, y) is y*Width + x; y = 0 is the top row. Every cell is a state, walls included.</item>
/// <item>Actions: 0 = <see cref="Up"/> (y-1), 1 = <see cref="Right"/> (x+1), 2 = <see cref="Down"/> (y+1), 3 = <see cref="Left"/> (x-1).</item>
/// <item>From a free cell the move goes in the chosen direction w.p. 1 - Slip and in each of the three others w.p. Slip/3;
/// a move off the grid or into a wall leaves the agent where it is.</item>
/// <item>Goal, trap and wall cells are absorbing: every action stays, with reward 0. Walls are unreachable because
/// moves into them stay put.</item>
/// <item>Rewards depend on the next state: R(s,a,s') = +1 if s' is a goal, -1 if s' is a trap, 0 otherwise, for s free
/// (so arrival pays once). They are given to the model aligned with the transition entries, so
/// <see cref="Mdp.HasTransitionRewards"/> is true and the expected reward is rbar(s,a) = sum_{s'} P(s'|s,a) R(s,a,s').</item>
/// <item>The initial distribution is a point mass on <see cref="GridworldOptions.Start"/>.</item>
/// </list>
/// Random walls (<see cref="GridworldOptions.RandomWallFraction"/>) come from <c>new Random(Seed)</c>, so the same
/// options give the same layout; they may cut the start off from the goals, which is a legitimate (if dull) MDP.
/// </remarks>
public static class Gridworld
{
    /// <summary>Action 0: towards y - 1.</summary>
    public const int Up = 0;

    /// <summary>Action 1: towards x + 1.</summary>
    public const int Right = 1;

    /// <summary>Action 2: towards y + 1.</summary>
    public const int Down = 2;

    /// <summary>Action 3: towards x - 1.</summary>
    public const int Left = 3;

    private const int ActionCount = 4;
    private static readonly (int Dx, int Dy)[] Moves = [(0, -1), (1, 0), (0, 1), (-1, 0)];

    /// <summary>The state index of cell (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <param name="width">Cells per row.</param>
    /// <param name="x">Column in [0, width).</param>
    /// <param name="y">Row in [0, height), 0 at the top.</param>
    public static int StateIndex(int width, int x, int y) => y * width + x;

    /// <summary>The cells of the grid as <see cref="Create"/> lays them out, random walls included.</summary>
    /// <param name="options">The gridworld parameters.</param>
    /// <returns>[Width*Height] cell kinds, indexed by state y*Width + x.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option or a cell is out of range.</exception>
    /// <exception cref="ArgumentException">A cell is given two roles, or the start cell is not free.</exception>
    public static GridCell[] Layout(GridworldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int width = options.Width;
        var cells = new GridCell[width * options.Height];
        Mark(cells, width, options.Walls, GridCell.Wall, nameof(options.Walls));
        Mark(cells, width, options.GoalCells, GridCell.Goal, nameof(options.Goals));
        Mark(cells, width, options.Traps, GridCell.Trap, nameof(options.Traps));
        int start = StateIndex(width, options.Start.X, options.Start.Y);
        if (cells[start] != GridCell.Free)
            throw new ArgumentException($"{nameof(options.Start)} cell {options.Start} is a {cells[start].ToString().ToLowerInvariant()}; it must be free.", nameof(options.Start));
        if (options.RandomWallFraction > 0)
            AddRandomWalls(cells, start, options.RandomWallFraction, options.Seed);
        return cells;
    }

    /// <summary>Builds the gridworld MDP described by <paramref name="options"/>.</summary>
    /// <param name="options">Size, walls, slip, goals, traps, start, discount and random-wall settings.</param>
    /// <returns>A model with S = Width*Height states, A = 4, at most 4 transition entries per row, and rewards R(s,a,s').</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option or a cell is out of range.</exception>
    /// <exception cref="ArgumentException">A cell is given two roles, or the start cell is not free.</exception>
    public static Mdp Create(GridworldOptions options)
    {
        var cells = Layout(options);
        int width = options.Width, height = options.Height, S = cells.Length;
        double slip = options.Slip;

        var rowPointers = new long[(long)S * ActionCount + 1];
        var columns = new List<int>(S * ActionCount * 2);
        var probabilities = new List<double>(S * ActionCount * 2);
        var rewards = new List<double>(S * ActionCount * 2);
        Span<int> targets = stackalloc int[ActionCount];
        Span<double> masses = stackalloc double[ActionCount];

        for (int s = 0; s < S; s++)
        {
            int x = s % width, y = s / width;
            for (int a = 0; a < ActionCount; a++)
            {
                int row = s * ActionCount + a;
                if (cells[s] != GridCell.Free)
                {
                    columns.Add(s);
                    probabilities.Add(1);
                    rewards.Add(0);
                }
                else
                {
                    int count = Outcomes(cells, width, height, x, y, a, slip, targets, masses);
                    for (int k = 0; k < count; k++)
                    {
                        columns.Add(targets[k]);
                        probabilities.Add(masses[k]);
                        rewards.Add(EntryReward(cells[targets[k]]));
                    }
                }
                rowPointers[row + 1] = columns.Count;
            }
        }

        var builder = new MdpBuilder
        {
            StateCount = S,
            ActionCount = ActionCount,
            Discount = options.Discount,
            TransitionRowPointers = rowPointers,
            TransitionColumns = columns.ToArray(),
            TransitionProbabilities = probabilities.ToArray(),
            TransitionRewards = rewards.ToArray(),
            InitialDistribution = PointMass(S, StateIndex(width, options.Start.X, options.Start.Y)),
        };
        return builder.Build();
    }

    /// <summary>The distinct next cells of action <paramref name="action"/> from free cell (x, y), sorted, with their masses.</summary>
    /// <returns>The number of entries written (1 to 4); zero-mass outcomes are left out.</returns>
    private static int Outcomes(GridCell[] cells, int width, int height, int x, int y, int action, double slip,
        Span<int> targets, Span<double> masses)
    {
        int count = 0;
        for (int direction = 0; direction < ActionCount; direction++)
        {
            double mass = direction == action ? 1 - slip : slip / (ActionCount - 1);
            if (mass == 0) continue;
            int target = Step(cells, width, height, x, y, direction);
            // Several directions can land on the same cell (walls, edges): merge them, keeping the columns sorted
            // because the CSR form requires strictly increasing columns within a row.
            int position = 0;
            while (position < count && targets[position] < target) position++;
            if (position < count && targets[position] == target)
            {
                masses[position] += mass;
                continue;
            }
            for (int k = count; k > position; k--)
            {
                targets[k] = targets[k - 1];
                masses[k] = masses[k - 1];
            }
            targets[position] = target;
            masses[position] = mass;
            count++;
        }
        return count;
    }

    private static int Step(GridCell[] cells, int width, int height, int x, int y, int direction)
    {
        int nx = x + Moves[direction].Dx, ny = y + Moves[direction].Dy;
        if (nx < 0 || nx >= width || ny < 0 || ny >= height) return StateIndex(width, x, y);
        int target = StateIndex(width, nx, ny);
        return cells[target] == GridCell.Wall ? StateIndex(width, x, y) : target;
    }

    private static double EntryReward(GridCell cell) => cell switch
    {
        GridCell.Goal => 1,
        GridCell.Trap => -1,
        _ => 0,
    };

    private static void Mark(GridCell[] cells, int width, IReadOnlyList<(int X, int Y)> list, GridCell kind, string name)
    {
        foreach (var (x, y) in list)
        {
            int s = StateIndex(width, x, y);
            if (cells[s] != GridCell.Free && cells[s] != kind)
                throw new ArgumentException($"{name} cell {(x, y)} is already a {cells[s].ToString().ToLowerInvariant()}; a cell has one role.", name);
            cells[s] = kind;
        }
    }

    private static void AddRandomWalls(GridCell[] cells, int start, double fraction, int seed)
    {
        var candidates = new List<int>();
        for (int s = 0; s < cells.Length; s++)
        {
            if (cells[s] == GridCell.Free && s != start) candidates.Add(s);
        }
        int count = (int)Math.Floor(fraction * candidates.Count);
        // Partial Fisher-Yates: the first `count` candidates after the shuffle are a uniform random subset.
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            int j = i + random.Next(candidates.Count - i);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
            cells[candidates[i]] = GridCell.Wall;
        }
    }

    private static double[] PointMass(int length, int index)
    {
        var mu0 = new double[length];
        mu0[index] = 1;
        return mu0;
    }
}
