namespace TabularRL.Engine.Generators;

/// <summary>Parameters of the RiverSwim chain.</summary>
public sealed record ChainOptions
{
    /// <summary>Number of states in the chain (at least 2); the published instance has 6.</summary>
    public int States { get; init; } = 6;

    /// <summary>gamma in [0, 1).</summary>
    public double Discount { get; init; } = 0.95;

    /// <summary>Reward for swimming left in state 0; 5/1000 in the normalised version (5 in Strehl and Littman 2008).</summary>
    public double LeftReward { get; init; } = 0.005;

    /// <summary>Reward for swimming right in the last state; 1 in the normalised version (10000 in Strehl and Littman 2008).</summary>
    public double RightReward { get; init; } = 1;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option, named with its value.</exception>
    public void Validate()
    {
        OptionChecks.AtLeast(States, 2, nameof(States));
        // Two actions, at most three entries per row.
        OptionChecks.Allocatable(6L * States, States, nameof(States), "The transition entries");
        OptionChecks.Discount(Discount, nameof(Discount));
        OptionChecks.Finite(LeftReward, nameof(LeftReward));
        OptionChecks.Finite(RightReward, nameof(RightReward));
    }
}
