using TabularRL.Engine.Model;

namespace TabularRL.Engine.Generators;

/// <summary>Random Garnet MDPs: every (s, a) has K distinct successors with random probabilities and a uniform reward.</summary>
/// <remarks>
/// The standard benchmark of Archibald, McKinnon and Thomas (1995) as used by Bhatnagar et al. (2009): for each (s, a)
/// the K successors are drawn without replacement, uniformly from all states (or from the ring neighbourhood
/// {s-W..s+W} mod S when <see cref="GarnetOptions.Locality"/> is set), and the probability mass is a uniform random
/// partition of [0, 1] into K pieces (the gaps between K-1 sorted uniform cut points, i.e. a flat Dirichlet(1, ..., 1)
/// sample; Devroye 1986, "Non-Uniform Random Variate Generation", section V.2.2). Rewards are R(s,a) ~ U[0,1).
/// <para>
/// Determinism: all randomness comes from one <c>new Random(Seed)</c>, consumed in row order s*A + a (successors, then
/// cut points, then the reward), so the same options give the same model, array for array. Seeded
/// <see cref="Random"/> has kept Knuth's subtractive generator since .NET Framework 1.0 (.NET 6 moved only the
/// unseeded constructor to xoshiro256**, precisely to keep seeded sequences reproducible), though the documentation
/// stops short of promising it for all future versions.
/// </para>
/// <para>
/// The CSR arrays are filled directly (S*A*K entries, no dense [S,A,S] ever exists), so S = 10^6, A = 4, K = 10 takes a
/// few seconds and a few hundred MB.
/// </para>
/// </remarks>
public static class Garnet
{
    /// <summary>Builds the Garnet MDP described by <paramref name="options"/>.</summary>
    /// <param name="options">Sizes, branching, optional locality, discount and seed.</param>
    /// <returns>A model with S*A CSR rows of exactly K entries each, columns strictly increasing, and rewards [S,A].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="GarnetOptions.Validate"/>).</exception>
    public static Mdp Create(GarnetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int S = options.States, A = options.Actions, K = options.Branching;
        int pool = options.PoolSize;
        // With a neighbourhood smaller than the ring, offset j in [0, 2W+1) names state (s - W + j) mod S; otherwise
        // the pool is the whole state space and offsets are states.
        bool local = pool < S;
        int w = options.Locality ?? 0;

        long rows = (long)S * A;
        var rowPointers = new long[rows + 1];
        var columns = new int[rows * K];
        var probabilities = new double[rows * K];
        var rewards = new double[rows];

        var random = new Random(options.Seed);
        var sampler = new DistinctSampler(pool, K);
        var cuts = new double[Math.Max(K - 1, 0)];
        for (int s = 0; s < S; s++)
        {
            for (int a = 0; a < A; a++)
            {
                long row = (long)s * A + a;
                int start = (int)(row * K);
                var rowColumns = columns.AsSpan(start, K);
                sampler.Draw(random, rowColumns);
                if (local)
                {
                    for (int k = 0; k < K; k++)
                    {
                        int state = s - w + rowColumns[k];
                        rowColumns[k] = state < 0 ? state + S : state >= S ? state - S : state;
                    }
                }
                rowColumns.Sort();
                SplitUnitInterval(random, cuts, probabilities.AsSpan(start, K));
                rewards[row] = random.NextDouble();
                rowPointers[row + 1] = row * K + K;
            }
        }

        var builder = new MdpBuilder
        {
            StateCount = S,
            ActionCount = A,
            Discount = options.Discount,
            TransitionRowPointers = rowPointers,
            TransitionColumns = columns,
            TransitionProbabilities = probabilities,
            Rewards = rewards,
            RewardsShape = [S, A],
        };
        return builder.Build();
    }

    /// <summary>Fills <paramref name="pieces"/> with a uniform random partition of [0, 1] (a flat Dirichlet sample).</summary>
    /// <param name="random">The seeded generator.</param>
    /// <param name="cuts">[K-1] scratch for the cut points.</param>
    /// <param name="pieces">[K] output, positive, summing to 1 up to rounding.</param>
    private static void SplitUnitInterval(Random random, double[] cuts, Span<double> pieces)
    {
        // Redraw on a zero-length piece (a cut at 0 or two equal cuts; seeded NextDouble has 2^31 levels, so at K = 10
        // this happens with probability about 45 / 2^31 per row) so that every one of the K successors is really reachable.
        while (true)
        {
            for (int i = 0; i < cuts.Length; i++) cuts[i] = random.NextDouble();
            Array.Sort(cuts);
            double previous = 0;
            bool positive = true;
            for (int i = 0; i < cuts.Length; i++)
            {
                pieces[i] = cuts[i] - previous;
                positive &= pieces[i] > 0;
                previous = cuts[i];
            }
            pieces[^1] = 1 - previous;
            if (positive) return;
        }
    }
}
