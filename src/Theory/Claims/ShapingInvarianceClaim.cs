using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Claims;

/// <summary>SHAPING-INVARIANCE: J shifts by -E_mu0 Phi under shaping; S'-redistribution leaves J unchanged (five random policies per instance).</summary>
public sealed class ShapingInvarianceClaim : IClaim
{
    private const double Bound = 1e-10;

    /// <inheritdoc/>
    public string Id => "SHAPING-INVARIANCE";

    /// <inheritdoc/>
    public string Source => "Ng, Harada & Russell 1999; STARC (Skalse et al. 2024)";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var worst = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.Model();
            var reward = instances.Reward(mdp);
            var phi = instances.Potential(mdp.StateCount);
            var shaped = RewardTransformations.Shaped(reward, phi, mdp.Discount);
            var redistributed = reward.Plus(instances.Redistribution(mdp));
            double scale = Objectives.ValueScale(mdp, reward) + phi.Max(Math.Abs);
            double shift = Objectives.InitialMean(mdp, phi);
            for (int p = 0; p < 5; p++)
            {
                var policy = instances.Policy(mdp.StateCount, mdp.ActionCount);
                double j = Objectives.Of(mdp, reward, policy, instances.Backend);
                double shapingError = Math.Abs(Objectives.Of(mdp, shaped, policy, instances.Backend) - (j - shift));
                double redistributionError = Math.Abs(Objectives.Of(mdp, redistributed, policy, instances.Backend) - j);
                worst.Observe(Math.Max(shapingError, redistributionError) / scale, InstanceLabel.Of(i, mdp));
            }
        }
        bool passed = worst.Value <= Bound;
        return new ClaimResult(Id, Source, count, $"{worst} (relative error of J)", $"<= {WorstCase.Format(Bound)}", passed, worst.Instance);
    }
}
