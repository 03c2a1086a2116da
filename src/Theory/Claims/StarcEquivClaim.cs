using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Claims;

/// <summary>
/// STARC-EQUIV: the STARC distances of c_VAL and c_min are bilipschitz equivalent: d_VAL / d_min stays in a band
/// [lo, hi] with 0 &lt; lo &lt;= hi &lt; infinity over random pairs, and both are 0 on equivalent pairs.
/// </summary>
/// <remarks>The band is measured, not bounded in advance: the row prints it. It fails if a ratio is 0, infinite or NaN.</remarks>
public sealed class StarcEquivClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "STARC-EQUIV";

    /// <inheritdoc/>
    public string Source => "STARC (Skalse et al. 2024), Thm. 3 (all STARC metrics are bilipschitz equivalent)";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var low = new WorstCase(largest: false);
        var high = new WorstCase();
        var zero = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.Model();
            var first = instances.Reward(mdp);
            var second = first.Combine(instances.Reward(mdp), 1, Math.Exp(2 * instances.Normal()));
            var val = new StarcMetric(new ValCanonicalisation(mdp, instances.Backend), RewardNorm.L2);
            var min = new StarcMetric(new MinimalCanonicalisation(mdp), RewardNorm.L2);
            string label = InstanceLabel.Of(i, mdp);
            double ratio = val.Distance(first, second) / min.Distance(first, second);
            low.Observe(ratio, label);
            high.Observe(ratio, label);
            var equivalent = RewardTransformations.Shaped(first.Times(2), instances.Potential(mdp.StateCount), mdp.Discount).Plus(instances.Redistribution(mdp));
            zero.Observe(Math.Max(val.Distance(first, equivalent), min.Distance(first, equivalent)), label);
        }
        bool passed = low.Value > 0 && double.IsFinite(high.Value) && zero.Value <= 1e-10;
        return new ClaimResult(Id, Source, count, $"d_VAL / d_min in [{low}, {high}]; equivalent pairs {zero}",
            "0 < ratio < inf; equivalent pairs <= 1e-10", passed, $"lowest: {low.Instance}; highest: {high.Instance}");
    }
}
