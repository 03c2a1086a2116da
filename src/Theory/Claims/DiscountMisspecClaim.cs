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
        => MaximalErrorCheck.Run(this, instances, count, truth =>
        {
            double assumed = Math.Clamp(truth.Discount + (instances.Random.Next(2) == 0 ? -1 : 1) * (0.02 + 0.3 * instances.Random.NextDouble()), 0.1, 0.995);
            var result = DiscountMisspecification.Analyse(truth, assumed, instances.Potential(truth.StateCount), 1.0, instances.Backend);
            return (result, $", assumed gamma {WorstCase.Format(assumed)}");
        });
}
