using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Claims;

/// <summary>
/// CANON: c_VAL and c_min are linear, idempotent and zero on N (residuals relative to the value scale); the variant
/// without the expectation over s' is not (it moves under S'-redistribution on some instance).
/// </summary>
public sealed class CanonClaim : IClaim
{
    private const double Bound = 1e-10;

    /// <inheritdoc/>
    public string Id => "CANON";

    /// <inheritdoc/>
    public string Source => "STARC (Skalse et al. 2024), Def. 1, Props. 2-3";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var residual = new WorstCase();
        var variantMove = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.Model();
            var reward = instances.Reward(mdp);
            var other = instances.Reward(mdp);
            var nullTerm = RewardTransformations.ShapingTerm(mdp.StateCount, mdp.ActionCount, instances.Potential(mdp.StateCount), mdp.Discount)
                .Plus(instances.Redistribution(mdp));
            // The largest |R| among the inputs, times the combination's 5, over 1 - gamma (the maps' condition).
            double scale = 5 * Math.Max(Objectives.RewardScale(reward), Math.Max(Objectives.RewardScale(other), Objectives.RewardScale(nullTerm))) / (1 - mdp.Discount);
            string label = InstanceLabel.Of(i, mdp);
            foreach (ICanonicalisation canon in new ICanonicalisation[] { new ValCanonicalisation(mdp, instances.Backend), new MinimalCanonicalisation(mdp) })
            {
                var once = canon.Apply(reward);
                double linearity = MaxAbs(canon.Apply(reward.Combine(other, 2, -3)).Minus(once.Combine(canon.Apply(other), 2, -3)));
                double idempotence = MaxAbs(canon.Apply(once).Minus(once));
                double kernel = MaxAbs(canon.Apply(nullTerm));
                residual.Observe(Math.Max(linearity, Math.Max(idempotence, kernel)) / scale, $"{label}, c_{canon.Name}");
            }
            var variant = new ValuePotentialShaping(mdp, instances.Backend);
            var redistributed = reward.Plus(instances.Redistribution(mdp));
            variantMove.Observe(MaxAbs(variant.Apply(redistributed).Minus(variant.Apply(reward))) / Objectives.RewardScale(reward), label);
        }
        bool passed = residual.Value <= Bound && variantMove.Value > 1e-3;
        return new ClaimResult(Id, Source, count,
            $"residual {residual}; value-potential variant moved {variantMove} under redistribution",
            $"residual <= {WorstCase.Format(Bound)}; variant moves (> 1e-3)", passed,
            passed ? $"largest residual: {residual.Instance}" : $"{residual.Instance}; variant: {variantMove.Instance}");
    }

    internal static double MaxAbs(TransitionReward r)
    {
        double max = 0;
        foreach (double x in r.Values) max = Math.Max(max, Math.Abs(x));
        return max;
    }
}
