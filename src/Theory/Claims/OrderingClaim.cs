using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Claims;

/// <summary>ORDERING: R2 = c R1 + shaping + S'-redistribution (c &gt; 0) gives J2 = c J1 + const over random policies.</summary>
public sealed class OrderingClaim : IClaim
{
    private const double Bound = 1e-10;

    /// <inheritdoc/>
    public string Id => "ORDERING";

    /// <inheritdoc/>
    public string Source => "STARC (Skalse et al. 2024), Prop. 1; Skalse & Abate 2023";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var worst = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.Model();
            var first = instances.Reward(mdp);
            double c = Math.Exp(instances.Normal());
            var phi = instances.Potential(mdp.StateCount);
            var second = RewardTransformations.Shaped(first.Times(c), phi, mdp.Discount).Plus(instances.Redistribution(mdp));
            double scale = c * Objectives.ValueScale(mdp, first) + phi.Max(Math.Abs);
            var offsets = new List<double>();
            for (int p = 0; p < 6; p++)
            {
                var policy = instances.Policy(mdp.StateCount, mdp.ActionCount);
                offsets.Add(Objectives.Of(mdp, second, policy, instances.Backend) - c * Objectives.Of(mdp, first, policy, instances.Backend));
            }
            worst.Observe((offsets.Max() - offsets.Min()) / scale, InstanceLabel.Of(i, mdp));
        }
        return new ClaimResult(Id, Source, count, $"{worst} (spread of J2 - c J1, relative)", $"<= {WorstCase.Format(Bound)}", worst.Value <= Bound, worst.Instance);
    }
}
