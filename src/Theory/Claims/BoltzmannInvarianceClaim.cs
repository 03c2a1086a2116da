using TabularRL.Theory.Behaviour;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Claims;

/// <summary>
/// BOLTZMANN-INVARIANCE: b(R) = b(R + shaping + redistribution) and inversion round-trips (Boltzmann beta = 0.7 and
/// MCE alpha = 1.3), to 1e-9 in every probability; b(3R) differs from b(R) on some instance.
/// </summary>
public sealed class BoltzmannInvarianceClaim : IClaim
{
    private const double Bound = 1e-9;

    /// <inheritdoc/>
    public string Id => "BOLTZMANN-INVARIANCE";

    /// <inheritdoc/>
    public string Source => "Skalse & Abate 2023 (Misspecification in IRL), Thms. 3.3-3.4";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var invariance = new WorstCase();
        var roundTrip = new WorstCase();
        var scaled = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.Model();
            var reward = instances.Reward(mdp);
            var equivalent = RewardTransformations.Shaped(reward, instances.Potential(mdp.StateCount), mdp.Discount).Plus(instances.Redistribution(mdp));
            var pi = instances.Policy(mdp.StateCount, mdp.ActionCount);
            string label = InstanceLabel.Of(i, mdp);
            foreach (IBehaviourModel f in new IBehaviourModel[] { new BoltzmannBehaviour(mdp, 0.7, instances.Backend), new MaxCausalEntropyBehaviour(mdp, 1.3, instances.Backend) })
            {
                var acted = f.Act(reward);
                invariance.Observe(PolicyGap.Of(acted, f.Act(equivalent)), $"{label}, {f.Name}");
                roundTrip.Observe(PolicyGap.Of(f.Act(f.Invert(pi)), pi), $"{label}, {f.Name}");
                scaled.Observe(PolicyGap.Of(acted, f.Act(reward.Times(3))), $"{label}, {f.Name}");
            }
        }
        bool passed = invariance.Value <= Bound && roundTrip.Value <= Bound && scaled.Value > 1e-3;
        return new ClaimResult(Id, Source, count, $"b(R) vs b(R + N-term) {invariance}; round trip {roundTrip}; b(3R) vs b(R) up to {scaled}",
            $"<= {WorstCase.Format(Bound)}, <= {WorstCase.Format(Bound)}, > 1e-3", passed,
            invariance.Value >= roundTrip.Value ? invariance.Instance : roundTrip.Instance);
    }
}
