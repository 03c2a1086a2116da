namespace TabularRL.Engine.Generators;

/// <summary>Parameters of a small dense random MDP.</summary>
public sealed record RandomMdpOptions
{
    /// <summary>S, the number of states (at least 1; S*A*S values are held densely).</summary>
    public required int States { get; init; }

    /// <summary>A, the number of actions (at least 1).</summary>
    public required int Actions { get; init; }

    /// <summary>gamma in [0, 1).</summary>
    public double Discount { get; init; } = 0.9;

    /// <summary>Seed of <see cref="Random"/>; the same options give the same model.</summary>
    public int Seed { get; init; }

    /// <summary>Probability in [0, 1] that an entry of P is an impossible transition; each row keeps at least one possible successor.</summary>
    public double ZeroFraction { get; init; }

    /// <summary>false: rewards R(s,a) of shape [S,A]; true: rewards R(s,a,s') of shape [S,A,S]. Entries are N(0, 1) either way.</summary>
    public bool RewardsDependOnNextState { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option, named with its value.</exception>
    public void Validate()
    {
        OptionChecks.AtLeast(States, 1, nameof(States));
        OptionChecks.AtLeast(Actions, 1, nameof(Actions));
        OptionChecks.Allocatable((long)States * Actions * States, States, nameof(States), "The dense transitions S*A*S");
        OptionChecks.Discount(Discount, nameof(Discount));
        OptionChecks.Probability(ZeroFraction, nameof(ZeroFraction));
    }
}
