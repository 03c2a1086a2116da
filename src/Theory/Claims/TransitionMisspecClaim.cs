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
        => MaximalErrorCheck.Run(this, instances, count, truth =>
        {
            var assumed = ClaimInstances.Build(truth.StateCount, truth.ActionCount, truth.Discount, instances.Transitions(truth.StateCount, truth.ActionCount));
            return (TransitionMisspecification.Analyse(truth, assumed, instances.Reward(truth), 1.0, instances.Backend), "");
        });
}
