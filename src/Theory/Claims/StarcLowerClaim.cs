using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Regret;

namespace TabularRL.Theory.Claims;

/// <summary>
/// STARC-LOWER: worst-case regret, normalised by the range J1(pi1*) - J1(pi1_worst), is at least L d(R1, R2) for a
/// positive L; the row reports the smallest ratio seen (the measured L, for c_VAL and c_min with the L2 norm) and
/// the instance that attains it. Worst-case regret is an LP solved by GLPK (<see cref="WorstCaseRegret"/>); as a
/// check on the LP, it must be at least the regret of the policy optimal for R2, a feasible pair.
/// </summary>
public sealed class StarcLowerClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "STARC-LOWER";

    /// <inheritdoc/>
    public string Source => "STARC (Skalse et al. 2024), Thm. 2 (completeness)";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var lower = new WorstCase(largest: false);
        var shortfall = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.Model();
            var first = instances.Reward(mdp);
            var second = first.Combine(instances.Reward(mdp), 1, Math.Exp(instances.Normal()));
            var regret = NormalisedRegret.Compute(mdp, first, second, instances.Backend);
            double range = regret.BestObjective - regret.WorstObjective;
            double wcr = WorstCaseRegret.Compute(mdp, first, second);
            string label = InstanceLabel.Of(i, mdp);
            // (pi1*, pi2*) is feasible for the LP, so WCR >= J1(pi1*) - J1(pi2*); GLPK's tolerances allow 1e-7 of the range.
            shortfall.Observe((regret.BestObjective - regret.ObjectiveOfOther - wcr) / Math.Max(range, 1e-300), label);
            foreach (ICanonicalisation canon in new ICanonicalisation[] { new ValCanonicalisation(mdp, instances.Backend), new MinimalCanonicalisation(mdp) })
            {
                double d = new StarcMetric(canon, RewardNorm.L2).Distance(first, second);
                if (d > 1e-9 && range > 0) lower.Observe(wcr / range / d, $"{label}, c_{canon.Name}");
            }
        }
        bool passed = lower.Value > 0 && shortfall.Value <= 1e-7;
        return new ClaimResult(Id, Source, count,
            $"measured L = {lower} (smallest WCR / range / d); WCR below the regret of pi2* by at most {shortfall} of the range",
            "L > 0; shortfall <= 1e-7", passed, lower.Instance);
    }
}
