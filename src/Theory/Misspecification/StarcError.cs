using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Claims;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Misspecification;

/// <summary>Builds a <see cref="MisspecificationResult"/>: the STARC errors of an inferred reward on the true model.</summary>
internal static class StarcError
{
    public static MisspecificationResult Measure(Mdp truthModel, TransitionReward truth, TransitionReward inferred, Policy observed, Policy explained, IBellmanBackend backend)
        => new(truth, inferred, PolicyGap.Of(observed, explained),
            new StarcMetric(new ValCanonicalisation(truthModel, backend), RewardNorm.L2).Distance(inferred, truth),
            new StarcMetric(new MinimalCanonicalisation(truthModel), RewardNorm.L2).Distance(inferred, truth));

    /// <summary>The multiple k of <paramref name="direction"/> that makes base + k direction point, modulo N of the true model, within about 0.01 rad of the direction.</summary>
    /// <remarks>
    /// With c the minimal canonicalisation of the true model, the angle between c(base + k d) and c(d) is about
    /// ||c(base)|| / (k ||c(d)||); k = 100 ||c(base)|| / ||c(d)|| puts it near 0.01, where the L2 STARC distance
    /// to the opposite of d is 2 - O(1e-4) (d = 2 cos(angle / 2)).
    /// </remarks>
    public static double Multiple(Mdp truthModel, TransitionReward baseReward, TransitionReward direction)
    {
        var canon = new MinimalCanonicalisation(truthModel);
        double along = RewardNorm.L2.Of(canon.Apply(direction));
        // Relative to the direction's own size, as StarcMetric.RelativeZero: below it the canonical part is rounding noise.
        if (!(along > StarcMetric.RelativeZero * RewardNorm.L2.Of(direction)))
            throw new ArgumentException("the direction lies in N of the true model: it cannot move the STARC distance");
        return 100 * Math.Max(RewardNorm.L2.Of(canon.Apply(baseReward)), along) / along;
    }
}
