using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Claims;

/// <summary>MINIMALITY: ||c_min(R)||_2 &lt;= ||R'||_2 for R' = R + t (shaping + redistribution), t in {1, 0.1, 1e-3, -1e-3}.</summary>
public sealed class MinimalityClaim : IClaim
{
    private const double Bound = 1e-10;

    /// <inheritdoc/>
    public string Id => "MINIMALITY";

    /// <inheritdoc/>
    public string Source => "STARC (Skalse et al. 2024), Prop. 3 (closed form: THEORY.md section 3)";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var excess = new WorstCase();
        var membership = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.Model();
            var reward = instances.Reward(mdp);
            var canonical = new MinimalCanonicalisation(mdp).Apply(reward);
            double least = RewardNorm.L2.Of(canonical);
            string label = InstanceLabel.Of(i, mdp);
            // c_min(R) must itself lie in R + N: c_VAL, zero exactly on N, maps the difference to 0.
            double scale = Objectives.RewardScale(reward) / (1 - mdp.Discount);
            membership.Observe(CanonClaim.MaxAbs(new ValCanonicalisation(mdp, instances.Backend).Apply(canonical.Minus(reward))) / scale, label);
            var nullTerm = RewardTransformations.ShapingTerm(mdp.StateCount, mdp.ActionCount, instances.Potential(mdp.StateCount), mdp.Discount)
                .Plus(instances.Redistribution(mdp));
            foreach (double t in new[] { 1, 0.1, 1e-3, -1e-3 })
            {
                var other = canonical.Combine(nullTerm, 1, t);
                excess.Observe((least - RewardNorm.L2.Of(other)) / Math.Max(1, least), label);
            }
        }
        bool passed = excess.Value <= Bound && membership.Value <= Bound;
        return new ClaimResult(Id, Source, count, $"excess {excess} (||c_min(R)|| - ||R'||, relative); c_min(R) - R outside N by {membership}",
            $"both <= {WorstCase.Format(Bound)}", passed, excess.Value >= membership.Value ? excess.Instance : membership.Instance);
    }
}
