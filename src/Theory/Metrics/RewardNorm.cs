using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Metrics;

/// <summary>An L1, L2 or L-infinity norm on rewards as vectors over all S*A*S triples, optionally weighted.</summary>
/// <remarks>
/// Weighted: (sum omega |x|^p)^(1/p) for p = 1, 2, and max over omega &gt; 0 of |x| for L-infinity. The domain is every
/// triple, possible or not; for the canonicalisations of THEORY.md the distance does not depend on this choice
/// beyond a constant factor that standardisation removes (c_VAL is constant in s', c_min is 0 off the support).
/// </remarks>
/// <param name="Kind">L1, L2 or L-infinity.</param>
/// <param name="Weights">[S*A*S] omega &gt;= 0, or null for the unweighted norm.</param>
public sealed record RewardNorm(NormKind Kind, double[]? Weights = null)
{
    /// <summary>The unweighted L2 norm.</summary>
    public static RewardNorm L2 { get; } = new(NormKind.L2);

    /// <summary>||R||.</summary>
    public double Of(TransitionReward reward) => Of(reward.Values);

    /// <summary>||x|| of a flat [S*A*S] vector.</summary>
    public double Of(ReadOnlySpan<double> x)
    {
        if (Weights is not null && Weights.Length != x.Length)
            throw new ArgumentException($"norm weights have {Weights.Length} entries, the reward {x.Length}");
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double omega = Weights?[i] ?? 1;
            double magnitude = Math.Abs(x[i]);
            total = Kind switch
            {
                NormKind.L1 => total + omega * magnitude,
                NormKind.L2 => total + omega * magnitude * magnitude,
                _ => omega > 0 ? Math.Max(total, magnitude) : total,
            };
        }
        return Kind == NormKind.L2 ? Math.Sqrt(total) : total;
    }

    /// <summary>||x - y||.</summary>
    public double Distance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"vectors of lengths {x.Length} and {y.Length}");
        var difference = new double[x.Length];
        for (int i = 0; i < x.Length; i++) difference[i] = x[i] - y[i];
        return Of(difference);
    }
}
