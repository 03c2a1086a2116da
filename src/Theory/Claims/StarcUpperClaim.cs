using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Claims;

/// <summary>
/// STARC-UPPER: J1(pi1*) - J1(pi2*) &lt;= ||c(R1)||_2 ||eta1 - eta2||_2 d(R1, R2) for the L2 STARC distance of c_VAL and
/// c_min, eta the discounted occupancy of transitions (s,a,s').
/// </summary>
/// <remarks>
/// Derivation: J_R(pi) = &lt;eta^pi, c(R)&gt; + a constant that does not depend on pi (c(R) - R is in N), and pi2* is
/// optimal for c(R2), so J1(pi1*) - J1(pi2*) = n1 &lt;eta1 - eta2, s1&gt; &lt;= n1 &lt;eta1 - eta2, s1 - s2&gt; &lt;= n1 ||eta1 - eta2|| d,
/// with s_i = c(R_i) / n_i. The row reports the largest ratio of regret to bound.
/// </remarks>
public sealed class StarcUpperClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "STARC-UPPER";

    /// <inheritdoc/>
    public string Source => "STARC (Skalse et al. 2024), Thm. 1 (explicit form: THEORY.md section 8)";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var ratio = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.Model();
            var first = instances.Reward(mdp);
            var second = instances.Random.Next(2) == 0 ? instances.Reward(mdp) : first.Combine(instances.Reward(mdp), 1, 0.2);
            var best = Objectives.OptimalPolicy(mdp, first, instances.Backend);
            var other = Objectives.OptimalPolicy(mdp, second, instances.Backend);
            double regret = Objectives.Of(mdp, first, best, instances.Backend) - Objectives.Of(mdp, first, other, instances.Backend);
            var eta1 = Objectives.TransitionOccupancy(mdp, best, instances.Backend);
            var eta2 = Objectives.TransitionOccupancy(mdp, other, instances.Backend);
            double occupancyGap = RewardNorm.L2.Distance(eta1, eta2);
            foreach (ICanonicalisation canon in new ICanonicalisation[] { new ValCanonicalisation(mdp, instances.Backend), new MinimalCanonicalisation(mdp) })
            {
                var metric = new StarcMetric(canon, RewardNorm.L2);
                double bound = RewardNorm.L2.Of(canon.Apply(first)) * occupancyGap * metric.Distance(first, second);
                // Slack for rounding: 1e-9 of the value scale.
                double slack = 1e-9 * Objectives.ValueScale(mdp, first);
                ratio.Observe(regret <= slack ? 0 : regret / (bound + slack), $"{InstanceLabel.Of(i, mdp)}, c_{canon.Name}");
            }
        }
        return new ClaimResult(Id, Source, count, $"{ratio} (largest regret / bound)", "<= 1", ratio.Value <= 1, ratio.Instance);
    }
}
