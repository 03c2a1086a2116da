using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// STARC-EQUIV (THEORY.md section 8): the L2 STARC distances of c_VAL and c_min are zero together and otherwise both
/// positive, so their ratio stays in a band (0, infinity); Skalse et al. (2024), STARC, Theorem 3 (any two STARC
/// metrics are bilipschitz equivalent). The band itself is measured by <c>tabrl verify</c>.
/// </summary>
public sealed class StarcEquivProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Fact]
    public void ValAndMinimalDistances_AnyPair_AreZeroTogether()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            var val = new StarcMetric(new ValCanonicalisation(c.Mdp, Backend), RewardNorm.L2);
            var min = new StarcMetric(new MinimalCanonicalisation(c.Mdp), RewardNorm.L2);
            double tolerance = 1e-10 / (1 - c.Mdp.Discount);
            var equivalent = c.Reward.Times(0.3).Plus(c.NullTerm);
            Assert.InRange(val.Distance(c.Reward, equivalent), 0, tolerance);
            Assert.InRange(min.Distance(c.Reward, equivalent), 0, tolerance);
            double dVal = val.Distance(c.Reward, c.Other), dMin = min.Distance(c.Reward, c.Other);
            // Zero together: one is (numerically) zero exactly when the other is.
            Assert.True((dVal <= tolerance) == (dMin <= tolerance) || Math.Max(dVal, dMin) <= 1e-6,
                $"d_VAL = {dVal} and d_min = {dMin}: one is zero, the other not");
        });
    }
}
