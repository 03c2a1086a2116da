using TabularRL.Theory.Misspecification;

namespace TabularRL.Theory.Claims;

/// <summary>DISCOUNT-MISSPEC: the construction of <see cref="DiscountMisspecification"/> reaches STARC distance &gt;= 1.99 with the same policy to 1e-9.</summary>
public sealed class DiscountMisspecClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "DISCOUNT-MISSPEC";

    /// <inheritdoc/>
    public string Source => "Skalse & Abate 2023 (Misspecification in IRL), discount misspecification";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var distance = new WorstCase(largest: false);
        var gap = new WorstCase();
        int skipped = 0;
        for (int i = 0; i < count; i++)
        {
            var truth = instances.Model();
            double assumed = Math.Clamp(truth.Discount + (instances.Random.Next(2) == 0 ? -1 : 1) * (0.02 + 0.3 * instances.Random.NextDouble()), 0.1, 0.995);
            MisspecificationResult result;
            try
            {
                result = DiscountMisspecification.Analyse(truth, assumed, instances.Potential(truth.StateCount), 1.0, instances.Backend);
            }
            catch (ArgumentException)
            {
                // -Phi(s') lies in N of the true model (e.g. every action of a state has the same row): no direction to move along.
                skipped++;
                continue;
            }
            string label = $"{InstanceLabel.Of(i, truth)}, assumed gamma {WorstCase.Format(assumed)}";
            distance.Observe(Math.Min(result.ValDistance, result.MinDistance), label);
            gap.Observe(result.PolicyGap, label);
        }
        bool passed = distance.Value >= 1.99 && gap.Value <= 1e-9;
        return new ClaimResult(Id, Source, count, $"STARC distance at least {distance.Value:F6}; policy gap at most {gap}" + (skipped > 0 ? $"; {skipped} skipped" : ""),
            "distance >= 1.99; gap <= 1e-9",
            passed, distance.Instance);
    }
}
