using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Rewards;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// STARC-ZERO (THEORY.md sections 3 and 8). A STARC distance is 0 for rewards that order all policies the same
/// (R2 = c R1 + shaping + S'-redistribution, c &gt; 0), 2 between R and -R, and 1 between R and 0, for c_VAL and
/// c_min and the L1, L2 and L-infinity norms. Source: Skalse et al. (2024), STARC, section 3 (s(R) = c(R) / n(c(R))
/// is a unit vector or 0).
/// </summary>
/// <remarks>
/// Draws whose canonical reward is within rounding of 0 (R itself in N, e.g. a single state and action) have
/// s(R) = 0 and are checked for d = 0 only. Tolerance on d: 1e-10 / (1 - gamma) (d is relative; rounding in c(R)
/// grows with the condition 1 / (1 - gamma) of the maps' linear systems).
/// </remarks>
public sealed class StarcZeroProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    private static IEnumerable<StarcMetric> Metrics(RewardCase c)
    {
        ICanonicalisation[] canons = [new ValCanonicalisation(c.Mdp, Backend), new MinimalCanonicalisation(c.Mdp)];
        foreach (var canon in canons)
            foreach (var kind in new[] { NormKind.L1, NormKind.L2, NormKind.LInf })
                yield return new StarcMetric(canon, new RewardNorm(kind));
    }

    [Fact]
    public void StarcDistance_EquivalentPairs_IsZero()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            double tolerance = 1e-10 / (1 - c.Mdp.Discount);
            var equivalent = c.Reward.Times(3.7).Plus(c.NullTerm);
            foreach (var metric in Metrics(c))
                Assert.InRange(metric.Distance(c.Reward, equivalent), 0, tolerance);
        });
    }

    [Fact]
    public void StarcDistance_OppositeAndZeroRewards_AreTwoAndOne()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            double tolerance = 1e-10 / (1 - c.Mdp.Discount);
            var zero = TransitionReward.Zero(c.Mdp.StateCount, c.Mdp.ActionCount);
            foreach (var metric in Metrics(c))
            {
                bool trivial = RewardCase.MaxAbs(metric.Standardise(c.Reward)) == 0;
                Assert.InRange(metric.Distance(c.Reward, c.Reward.Times(-1)), trivial ? 0 : 2 - tolerance, trivial ? 0 : 2 + tolerance);
                Assert.InRange(metric.Distance(c.Reward, zero), trivial ? 0 : 1 - tolerance, trivial ? 0 : 1 + tolerance);
                Assert.InRange(metric.Distance(c.Reward, c.Other), 0, 2 + tolerance);
            }
        });
    }
}
