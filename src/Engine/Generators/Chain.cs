using TabularRL.Engine.Model;

namespace TabularRL.Engine.Generators;

/// <summary>The RiverSwim chain of Strehl and Littman (2008), a standard hard-exploration benchmark.</summary>
/// <remarks>
/// Strehl and Littman, "An analysis of model-based Interval Estimation for Markov decision processes", J. Computer and
/// System Sciences 74(8):1309-1331, 2008, figure 2; the transition table and the normalised rewards (5/1000, 1) are those
/// of Osband, Russo and Van Roy, "(More) efficient reinforcement learning via posterior sampling", NIPS 2013.
/// <list type="bullet">
/// <item>Action 0 = left (downstream): moves to max(s-1, 0) with probability 1.</item>
/// <item>Action 1 = right (upstream, against the current): in state 0, stay 0.4 / right 0.6; in an interior state,
/// left 0.05 / stay 0.6 / right 0.35; in the last state, left 0.4 / stay 0.6.</item>
/// <item>Rewards R(s,a): <see cref="ChainOptions.LeftReward"/> for left in state 0, <see cref="ChainOptions.RightReward"/>
/// for right in the last state (whatever the outcome), 0 elsewhere.</item>
/// <item>The initial distribution is a point mass on state 0, the river bank where the agent starts in Osband et al.;
/// Strehl and Littman start uniformly in the first two states instead.</item>
/// </list>
/// The model is deterministic (no seed).
/// </remarks>
public static class Chain
{
    /// <summary>Action 0: swim left (downstream), always succeeds.</summary>
    public const int SwimLeft = 0;

    /// <summary>Action 1: swim right (upstream), succeeds only with some probability.</summary>
    public const int SwimRight = 1;

    /// <summary>Builds the RiverSwim MDP described by <paramref name="options"/>.</summary>
    /// <param name="options">Number of states, discount and the two rewards.</param>
    /// <returns>A model with S = States, A = 2 and rewards [S,A].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static Mdp Create(ChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int S = options.States, last = S - 1;
        const int A = 2;

        var rowPointers = new long[S * A + 1];
        var columns = new List<int>(5 * S);
        var probabilities = new List<double>(5 * S);
        void Add(int next, double p)
        {
            columns.Add(next);
            probabilities.Add(p);
        }

        for (int s = 0; s < S; s++)
        {
            // Entries are added in increasing column order, as the CSR form requires.
            Add(Math.Max(s - 1, 0), 1);
            rowPointers[s * A + SwimLeft + 1] = columns.Count;

            if (s == 0)
            {
                Add(0, 0.4);
                Add(1, 0.6);
            }
            else if (s == last)
            {
                Add(s - 1, 0.4);
                Add(s, 0.6);
            }
            else
            {
                Add(s - 1, 0.05);
                Add(s, 0.6);
                Add(s + 1, 0.35);
            }
            rowPointers[s * A + SwimRight + 1] = columns.Count;
        }

        var rewards = new double[S * A];
        rewards[0 * A + SwimLeft] = options.LeftReward;
        rewards[last * A + SwimRight] = options.RightReward;
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
