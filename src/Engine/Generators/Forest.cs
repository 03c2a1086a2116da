using TabularRL.Engine.Model;

namespace TabularRL.Engine.Generators;

/// <summary>The forest-management example of the MDP toolboxes (<c>mdptoolbox.example.forest</c>, <c>mdp_example_forest</c>).</summary>
/// <remarks>
/// Chadès, Chapron, Cros, Garcia and Sabbadin, "MDPtoolbox: a multi-platform toolbox to solve stochastic dynamic
/// programming problems", Ecography 37(9):916-920, 2014. States 0..S-1 are age classes of the forest, S-1 the oldest.
/// <list type="bullet">
/// <item>Action 0 = wait: a fire (probability p) sends the forest to state 0, otherwise it ages to min(s+1, S-1).</item>
/// <item>Action 1 = cut: to state 0 with probability 1.</item>
/// <item>Rewards R(s,a): wait pays r1 in state S-1 and 0 elsewhere; cut pays 0 in state 0, 1 in states 1..S-2 and r2
/// in state S-1.</item>
/// <item>The initial distribution (which the toolboxes do not define) is a point mass on state 0, a young forest.</item>
/// </list>
/// With the defaults and gamma = 0.9 the toolbox documentation gives V* = (26.244, 29.484, 33.484) with the all-wait
/// policy. The model is deterministic (no seed).
/// </remarks>
public static class Forest
{
    /// <summary>Action 0: let the forest grow.</summary>
    public const int Wait = 0;

    /// <summary>Action 1: cut and sell the wood.</summary>
    public const int Cut = 1;

    /// <summary>Builds the forest-management MDP described by <paramref name="options"/>.</summary>
    /// <param name="options">Number of states, the two rewards, the fire probability and the discount.</param>
    /// <returns>A model with S = States, A = 2 and rewards [S,A].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static Mdp Create(ForestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int S = options.States, last = S - 1;
        const int A = 2;
        double p = options.FireProbability;

        var rowPointers = new long[S * A + 1];
        var columns = new List<int>(3 * S);
        var probabilities = new List<double>(3 * S);
        void Add(int next, double probability)
        {
            // p = 0 or 1 makes one outcome impossible; impossible transitions are not stored.
            if (probability == 0) return;
            columns.Add(next);
            probabilities.Add(probability);
        }

        var rewards = new double[S * A];
        for (int s = 0; s < S; s++)
        {
            // Ageing leads to a state >= 1 (S >= 2), so the fire entry (column 0) comes first, as CSR requires.
            Add(0, p);
            Add(Math.Min(s + 1, last), 1 - p);
            rowPointers[s * A + Wait + 1] = columns.Count;
            Add(0, 1);
            rowPointers[s * A + Cut + 1] = columns.Count;

            rewards[s * A + Wait] = s == last ? options.RewardWait : 0;
            rewards[s * A + Cut] = s == 0 ? 0 : s == last ? options.RewardCut : 1;
        }
        var mu0 = new double[S];
        mu0[0] = 1;

        var builder = new MdpBuilder
        {
            StateCount = S,
            ActionCount = A,
            Discount = options.Discount,
            TransitionRowPointers = rowPointers,
            TransitionColumns = columns.ToArray(),
            TransitionProbabilities = probabilities.ToArray(),
            Rewards = rewards,
            RewardsShape = [S, A],
            InitialDistribution = mu0,
        };
        return builder.Build();
    }
}
