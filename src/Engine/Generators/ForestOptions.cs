namespace TabularRL.Engine.Generators;

/// <summary>Parameters of the forest-management problem of the MDP toolboxes; the defaults are theirs.</summary>
public sealed record ForestOptions
{
    /// <summary>S, the number of age classes of the forest (at least 2).</summary>
    public int States { get; init; } = 3;

    /// <summary>r1, the reward for waiting in the oldest state.</summary>
    public double RewardWait { get; init; } = 4;

    /// <summary>r2, the reward for cutting in the oldest state.</summary>
    public double RewardCut { get; init; } = 2;

    /// <summary>p in [0, 1], the yearly probability of a fire.</summary>
    public double FireProbability { get; init; } = 0.1;

    /// <summary>gamma in [0, 1).</summary>
    public double Discount { get; init; } = 0.9;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option, named with its value.</exception>
    /// <remarks>The toolboxes also require r1, r2 &gt; 0; only finiteness is needed for a valid model, so only that is checked.</remarks>
    public void Validate()
    {
        OptionChecks.AtLeast(States, 2, nameof(States));
        OptionChecks.Allocatable(4L * States, States, nameof(States), "The transition entries");
        OptionChecks.Finite(RewardWait, nameof(RewardWait));
        OptionChecks.Finite(RewardCut, nameof(RewardCut));
        OptionChecks.Probability(FireProbability, nameof(FireProbability));
        OptionChecks.Discount(Discount, nameof(Discount));
    }
}
