namespace TabularRL.Engine.Generators;

/// <summary>Draws a fixed number of distinct integers uniformly from [0, pool), reusing its scratch space between draws.</summary>
/// <remarks>
/// Two strategies, chosen once from the sizes: when the count is small and the pool much larger, rejection into a tiny
/// sorted buffer (expected draws at most count * pool / (pool - count), and an O(count) membership test); otherwise a
/// partial Fisher-Yates shuffle (Knuth, TAOCP vol. 2, Algorithm 3.4.2P) over an identity permutation, whose swaps are
/// undone afterwards so that each draw costs O(count) rather than O(pool). Both give every subset the same probability.
/// </remarks>
internal sealed class DistinctSampler
{
    // Rejection's membership test is linear in the count, and its expected number of draws grows as the count nears
    // the pool size; past these bounds the shuffle is cheaper.
    private const int MaxRejectionCount = 32;
    private const int MinPoolPerDrawForRejection = 4;

    private readonly int _poolSize;
    private readonly int _count;
    private readonly int[]? _permutation;
    private readonly int[]? _swapTargets;

    /// <summary>Prepares a sampler of <paramref name="count"/> distinct values from [0, <paramref name="poolSize"/>).</summary>
    /// <param name="poolSize">Size of the pool, at least <paramref name="count"/>.</param>
    /// <param name="count">Values per draw, at least 1.</param>
    public DistinctSampler(int poolSize, int count)
    {
        if (count < 1 || count > poolSize)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"must be in [1, {poolSize}].");
        _poolSize = poolSize;
        _count = count;
        bool rejection = count <= MaxRejectionCount && (long)count * MinPoolPerDrawForRejection <= poolSize;
        if (!rejection)
        {
            _permutation = new int[poolSize];
            for (int i = 0; i < poolSize; i++) _permutation[i] = i;
            _swapTargets = new int[count];
        }
    }

    /// <summary>Writes <c>count</c> distinct values into <paramref name="destination"/>, sorted when rejection is used.</summary>
    /// <param name="random">The seeded generator; the draws consumed depend only on its state and the sizes.</param>
    /// <param name="destination">[count] output.</param>
    public void Draw(Random random, Span<int> destination)
    {
        if (_permutation is null)
            DrawByRejection(random, destination[.._count]);
        else
            DrawByShuffle(random, destination[.._count]);
    }

    private void DrawByRejection(Random random, Span<int> sorted)
    {
        for (int filled = 0; filled < sorted.Length;)
        {
            int candidate = random.Next(_poolSize);
            int position = 0;
            while (position < filled && sorted[position] < candidate) position++;
            if (position < filled && sorted[position] == candidate) continue;
            sorted.Slice(position, filled - position).CopyTo(sorted.Slice(position + 1));
            sorted[position] = candidate;
            filled++;
        }
    }

    private void DrawByShuffle(Random random, Span<int> destination)
    {
        var permutation = _permutation!;
        var targets = _swapTargets!;
        for (int i = 0; i < destination.Length; i++)
        {
            int j = i + random.Next(_poolSize - i);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
            targets[i] = j;
            destination[i] = permutation[i];
        }
        // Undo the swaps in reverse so the permutation is the identity again for the next draw.
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            int j = targets[i];
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }
    }
}
