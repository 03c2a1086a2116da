using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Claims;

/// <summary>STARC-ZERO: d = 0 for R and c R + shaping + redistribution; d(R, -R) = 2; d(R, 0) = 1 (VAL and min; L1, L2, L-infinity).</summary>
public sealed class StarcZeroClaim : IClaim
{
    private const double Bound = 1e-10;

    /// <inheritdoc/>
    public string Id => "STARC-ZERO";

    /// <inheritdoc/>
    public string Source => "STARC (Skalse et al. 2024), section 3";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var worst = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.Model();
            var reward = instances.Reward(mdp);
            var equivalent = RewardTransformations.Shaped(reward.Times(Math.Exp(instances.Normal())), instances.Potential(mdp.StateCount), mdp.Discount)
                .Plus(instances.Redistribution(mdp));
            var zero = TransitionReward.Zero(mdp.StateCount, mdp.ActionCount);
            foreach (ICanonicalisation canon in new ICanonicalisation[] { new ValCanonicalisation(mdp, instances.Backend), new MinimalCanonicalisation(mdp) })
                foreach (var kind in new[] { NormKind.L1, NormKind.L2, NormKind.LInf })
                {
                    var metric = new StarcMetric(canon, new RewardNorm(kind));
                    double error = Math.Max(metric.Distance(reward, equivalent),
                        Math.Max(Math.Abs(metric.Distance(reward, reward.Times(-1)) - 2), Math.Abs(metric.Distance(reward, zero) - 1)));
                    worst.Observe(error, $"{InstanceLabel.Of(i, mdp)}, {metric.Name}");
                }
        }
        return new ClaimResult(Id, Source, count, $"{worst} (largest of d(R, equivalent), |d(R,-R) - 2|, |d(R,0) - 1|)",
            $"<= {WorstCase.Format(Bound)}", worst.Value <= Bound, worst.Instance);
    }
}
