using TabularRL.Engine.Solvers;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Metrics;

/// <summary>
/// A STARC distance (THEORY.md section 3): s(R) = c(R) / n(c(R)) (0 when n(c(R)) = 0), d(R1, R2) = m(s(R1), s(R2))
/// with m(x, y) = n(x - y), the same norm for both, so d lies in [0, 2], d(R, -R) = 2 when c(R) != 0 and d(R, 0) = 1.
/// </summary>
/// <remarks>
/// Using one norm for n and m follows the STARC paper's experiments; any choice keeps the bounds of its theorems up to
/// constants. A canonical reward counts as 0 when its norm is at most <see cref="RelativeZero"/> times the norm of the
/// reward it came from: the canonicalisation of a member of N is 0 in exact arithmetic but rounding noise in floating
/// point, and standardising that noise would give an arbitrary direction instead of 0.
/// </remarks>
public sealed class StarcMetric : IRewardMetric
{
    /// <summary>Canonical parts below this fraction of the reward's own norm are taken as 0.</summary>
    public const double RelativeZero = 1e-12;

    /// <summary>d = n(s(R1) - s(R2)) for the canonicalisation <paramref name="canonicalisation"/> and the norm <paramref name="norm"/>.</summary>
    public StarcMetric(ICanonicalisation canonicalisation, RewardNorm norm)
    {
        Canonicalisation = canonicalisation;
        Norm = norm;
    }

    /// <summary>c.</summary>
    public ICanonicalisation Canonicalisation { get; }

    /// <summary>n and m.</summary>
    public RewardNorm Norm { get; }

    /// <inheritdoc/>
    public string Name => $"starc-{Canonicalisation.Name}-{Norm.Kind.ToString().ToLowerInvariant()}";

    /// <summary>s(R) = c(R) / n(c(R)), or 0.</summary>
    public TransitionReward Standardise(TransitionReward reward)
    {
        var canonical = Canonicalisation.Apply(reward);
        double size = Norm.Of(canonical);
        if (!double.IsFinite(size))
            throw new NumericalException($"STARC: the canonical reward's norm is {size} (overflow?)");
        return size <= RelativeZero * Norm.Of(reward) || size == 0
            ? TransitionReward.Zero(reward.StateCount, reward.ActionCount)
            : canonical.Times(1 / size);
    }

    /// <inheritdoc/>
    public double Distance(TransitionReward first, TransitionReward second)
        => Norm.Distance(Standardise(first).Values, Standardise(second).Values);
}
