using TabularRL.Theory.Misspecification;

namespace TabularRL.Theory.Claims;

/// <summary>TRANSITION-MISSPEC: the construction of <see cref="TransitionMisspecification"/> reaches STARC distance &gt;= 1.99 with the same policy to 1e-9.</summary>
public sealed class TransitionMisspecClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "TRANSITION-MISSPEC";

    /// <inheritdoc/>
    public string Source => "Skalse & Abate 2023 (Misspecification in IRL), transition misspecification";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var distance = new WorstCase(largest: false);
        var gap = new WorstCase();
        int skipped = 0;
        for (int i = 0; i < count; i++)
        {
            var truth = instances.Model();
            var assumed = ClaimInstances.Build(truth.StateCount, truth.ActionCount, truth.Discount, instances.Transitions(truth.StateCount, truth.ActionCount));
            MisspecificationResult result;
            try
            {
                result = TransitionMisspecification.Analyse(truth, assumed, instances.Reward(truth), 1.0, instances.Backend);
            }
            catch (ArgumentException)
            {
                // The drawn redistribution happens to lie in N of the true model too (e.g. identical rows): no direction to move along.
                skipped++;
                continue;
            }
            string label = InstanceLabel.Of(i, truth);
            distance.Observe(Math.Min(result.ValDistance, result.MinDistance), label);
            gap.Observe(result.PolicyGap, label);
        }
        bool passed = distance.Value >= 1.99 && gap.Value <= 1e-9;
        return new ClaimResult(Id, Source, count, $"STARC distance at least {distance.Value:F6}; policy gap at most {gap}" + (skipped > 0 ? $"; {skipped} skipped" : ""),
            "distance >= 1.99; gap <= 1e-9", passed, distance.Instance);
    }
}
