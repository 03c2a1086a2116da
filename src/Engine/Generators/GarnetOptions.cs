namespace TabularRL.Engine.Generators;

/// <summary>Parameters of a Garnet (Generic Average Reward Non-stationary Environment Testbed) MDP.</summary>
/// <remarks>
/// Garnet(S, A, K) after Archibald, McKinnon and Thomas (1995), "On the generation of Markov decision processes",
/// J. Operational Research Society 46(3):354-361, in the form of Bhatnagar, Sutton, Ghavamzadeh and Lee (2009),
/// "Natural actor-critic algorithms", Automatica 45(11):2471-2482, section 6; <see cref="Locality"/> is an optional
/// restriction of the successors to a ring neighbourhood, which gives a banded, slowly mixing chain.
/// </remarks>
public sealed record GarnetOptions
{
    /// <summary>S, the number of states (at least 1).</summary>
    public required int States { get; init; }

    /// <summary>A, the number of actions (at least 1).</summary>
    public required int Actions { get; init; }

    /// <summary>K, the number of distinct successors of every (s, a): 1 &lt;= K &lt;= S, and K &lt;= 2W+1 with a locality W.</summary>
    public required int Branching { get; init; }

    /// <summary>W: when set, successors of s are drawn from {s-W, ..., s+W} modulo S (wrapping around); null draws from all S states.</summary>
    public int? Locality { get; init; }

    /// <summary>gamma in [0, 1).</summary>
    public double Discount { get; init; } = 0.95;

    /// <summary>Seed of <see cref="Random"/>; the same options give the same model.</summary>
    public int Seed { get; init; }

    /// <summary>The number of states successors are drawn from: min(2W+1, S) with a locality W, else S.</summary>
    internal int PoolSize => Locality is { } w ? (int)Math.Min(2L * w + 1, States) : States;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option, named with its value.</exception>
    public void Validate()
    {
        OptionChecks.AtLeast(States, 1, nameof(States));
        OptionChecks.AtLeast(Actions, 1, nameof(Actions));
        OptionChecks.AtLeast(Branching, 1, nameof(Branching));
        if (Branching > States)
            throw new ArgumentOutOfRangeException(nameof(Branching), Branching, $"{nameof(Branching)} must be <= {nameof(States)} = {States} (successors are distinct).");
        if (Locality is { } w)
        {
            OptionChecks.AtLeast(w, 0, nameof(Locality));
            if (Branching > 2L * w + 1)
                throw new ArgumentOutOfRangeException(nameof(Branching), Branching, $"{nameof(Branching)} must be <= 2*{nameof(Locality)}+1 = {2L * w + 1} (successors are distinct states within the neighbourhood).");
        }
        OptionChecks.Discount(Discount, nameof(Discount));
        OptionChecks.Allocatable((long)States * Actions * Branching, States, nameof(States), "The transition entries S*A*K");
    }
}
