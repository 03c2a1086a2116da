using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Rewards;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// MINIMALITY (THEORY.md sections 3 and 8). c_min(R) has the least L2 norm in R + N: ||c_min(R)|| &lt;= ||R'|| for every
/// R' = R + shaping + S'-redistribution; likewise for the weighted variant in its weighted norm, including the
/// transition-weighted norm (omega = tau) of the STARC authors' experiments. Source: Skalse et al. (2024), STARC,
/// Proposition 3 (a minimal canonicalisation exists and is unique for weighted L2 norms); the closed form is derived
/// in <see cref="MinimalCanonicalisation"/>.
/// </summary>
/// <remarks>Slack: 1e-10 of the value scale max|R| / (1 - gamma) on the norm, as in <see cref="CanonProperties"/>.</remarks>
public sealed class MinimalityProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    private static double Slack(RewardCase c) => 1e-10 * c.Scale / (1 - c.Mdp.Discount) * Math.Sqrt(c.Reward.Values.Length);

    [Fact]
    public void MinimalCanonical_AnyEquivalentReward_IsNoLonger()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            var canonical = new MinimalCanonicalisation(c.Mdp).Apply(c.Reward);
            // c_min(R) is itself in R + N (c_VAL, zero exactly on N, maps the difference to 0): minimal among the right rewards.
            var difference = new ValCanonicalisation(c.Mdp, Backend).Apply(canonical.Minus(c.Reward));
            Assert.True(RewardCase.MaxAbs(difference) <= 1e-10 * c.Scale / (1 - c.Mdp.Discount), "c_min(R) is not in R + N");
            double least = RewardNorm.L2.Of(canonical);
            foreach (var other in new[] { c.Reward, c.Reward.Plus(c.Shaping), c.Reward.Plus(c.Redistribution), c.Reward.Plus(c.NullTerm) })
                Assert.True(least <= RewardNorm.L2.Of(other) + Slack(c), $"||c_min(R)|| = {least} > ||R'|| = {RewardNorm.L2.Of(other)}");
        });
    }

    [Fact]
    public void MinimalCanonical_SmallStepsWithinN_OnlyLengthenIt()
    {
        // A stationary point: moving along N in either direction does not shorten c_min(R) (first order would, if it were not minimal).
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            var least = new MinimalCanonicalisation(c.Mdp).Apply(c.Reward);
            double norm = RewardNorm.L2.Of(least);
            double step = 1e-3 / Math.Max(1, RewardNorm.L2.Of(c.NullTerm));
            foreach (double sign in new[] { 1.0, -1.0 })
                Assert.True(norm <= RewardNorm.L2.Of(least.Combine(c.NullTerm, 1, sign * step)) + Slack(c));
        });
    }

    [Fact]
    public void WeightedMinimalCanonical_TransitionWeights_IsNoLongerInItsNorm()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            int S = c.Mdp.StateCount, A = c.Mdp.ActionCount;
            // omega = tau + 0.1 on possible transitions and 0 elsewhere, so the weights are not all alike.
            var omega = TransitionReward.Create(S, A, (s, a, next) => shaping.Model.P(0, s, a, next) is > 0 and var p ? p + 0.1 : 0);
            var norm = new RewardNorm(NormKind.L2, omega.Values.ToArray());
            var canon = new MinimalCanonicalisation(c.Mdp, omega);
            double least = norm.Of(canon.Apply(c.Reward));
            foreach (var other in new[] { c.Reward, c.Reward.Plus(c.NullTerm), canon.Apply(c.Reward).Plus(c.Shaping) })
                Assert.True(least <= norm.Of(other) + Slack(c), $"weighted ||c_min(R)|| = {least} > {norm.Of(other)}");
            Assert.True(RewardCase.MaxAbs(canon.Apply(c.NullTerm)) <= 1e-10 * c.Scale / (1 - c.Mdp.Discount), "weighted c_min(N-term) != 0");
        });
    }
}
