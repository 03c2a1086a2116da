namespace TabularRL.Engine.Generators;

/// <summary>Parameters of a slippery gridworld; cells are (X, Y) with X in [0, Width) to the right and Y in [0, Height) downwards.</summary>
public sealed record GridworldOptions
{
    /// <summary>Cells per row (at least 1).</summary>
    public required int Width { get; init; }

    /// <summary>Rows (at least 1).</summary>
    public required int Height { get; init; }

    /// <summary>Blocked cells; default none.</summary>
    public IReadOnlyList<(int X, int Y)> Walls { get; init; } = [];

    /// <summary>Probability in [0, 1] that a move goes in one of the three other directions instead, uniformly.</summary>
    public double Slip { get; init; } = 0.1;

    /// <summary>Cells paying +1 on entry; null means the bottom-right cell (Width-1, Height-1); empty means none.</summary>
    public IReadOnlyList<(int X, int Y)>? Goals { get; init; }

    /// <summary>Cells paying -1 on entry; default none.</summary>
    public IReadOnlyList<(int X, int Y)> Traps { get; init; } = [];

    /// <summary>The start cell, which gets all the initial probability; default the top-left cell (0, 0).</summary>
    public (int X, int Y) Start { get; init; } = (0, 0);

    /// <summary>gamma in [0, 1).</summary>
    public double Discount { get; init; } = 0.95;

    /// <summary>Fraction in [0, 1) of the remaining free cells (not start, goal, trap or given wall) made walls at random.</summary>
    public double RandomWallFraction { get; init; }

    /// <summary>Seed of <see cref="Random"/> for <see cref="RandomWallFraction"/>; unused when that is 0.</summary>
    public int Seed { get; init; }

    /// <summary>The goal cells after applying the default.</summary>
    internal IReadOnlyList<(int X, int Y)> GoalCells => Goals ?? [(Width - 1, Height - 1)];

    /// <summary>Throws when an option is out of range or cells conflict.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size, probability or cell out of range, named with its value.</exception>
    /// <exception cref="ArgumentException">A cell listed in two roles, or a start cell that is not free.</exception>
    public void Validate()
    {
        OptionChecks.AtLeast(Width, 1, nameof(Width));
        OptionChecks.AtLeast(Height, 1, nameof(Height));
        // Four actions per cell must fit the model's S*A limit with room to spare.
        if ((long)Width * Height > int.MaxValue / 8)
            throw new ArgumentOutOfRangeException(nameof(Width), Width, $"{nameof(Width)}*{nameof(Height)} = {(long)Width * Height} cells is too many (at most {int.MaxValue / 8}).");
        OptionChecks.Probability(Slip, nameof(Slip));
        OptionChecks.Discount(Discount, nameof(Discount));
        if (!(RandomWallFraction >= 0 && RandomWallFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(RandomWallFraction), RandomWallFraction, $"{nameof(RandomWallFraction)} must be in [0, 1).");
        ArgumentNullException.ThrowIfNull(Walls, nameof(Walls));
        ArgumentNullException.ThrowIfNull(Traps, nameof(Traps));
        CheckInside(Walls, nameof(Walls));
        CheckInside(GoalCells, nameof(Goals));
        CheckInside(Traps, nameof(Traps));
        CheckInside([Start], nameof(Start));
    }

    private void CheckInside(IReadOnlyList<(int X, int Y)> cells, string name)
    {
        foreach (var cell in cells)
        {
            if (cell.X < 0 || cell.X >= Width || cell.Y < 0 || cell.Y >= Height)
                throw new ArgumentOutOfRangeException(name, cell, $"{name} cell {cell} lies outside the {Width}x{Height} grid.");
        }
    }
}
