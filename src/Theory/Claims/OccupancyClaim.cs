using TabularRL.Engine.Solvers;

namespace TabularRL.Theory.Claims;

/// <summary>OCCUPANCY: the discounted occupancy of a random policy sums to 1/(1-gamma), and J = &lt;eta, rbar&gt; = mu0 . V.</summary>
public sealed class OccupancyClaim : IClaim
{
    private const double Bound = 1e-10;

    /// <inheritdoc/>
    public string Id => "OCCUPANCY";

    /// <inheritdoc/>
    public string Source => "Puterman 1994, section 6.9; THEORY.md section 1";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var mass = new WorstCase();
        var objective = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.ModelWithRewards();
            var policy = instances.Policy(mdp.StateCount, mdp.ActionCount);
            var eta = OccupancyMeasure.Compute(mdp, policy, instances.Backend).StateActionOccupancy;
            double total = 0, inner = 0;
            for (int sa = 0; sa < eta.Length; sa++)
            {
                total += eta[sa];
                inner += eta[sa] * mdp.ExpectedRewards[sa];
            }
            string label = InstanceLabel.Of(i, mdp);
            mass.Observe(Math.Abs(total * (1 - mdp.Discount) - 1), label);
            double j = PolicyEvaluation.Evaluate(mdp, policy, instances.Backend).Objective;
            double scale = Objectives.ValueScale(mdp);
            objective.Observe(Math.Abs(inner - j) / scale, label);
        }
        bool passed = mass.Value <= Bound && objective.Value <= Bound;
        return new ClaimResult(Id, Source, count, $"|(1-gamma) sum eta - 1| at most {mass}; |<eta, rbar> - mu0 . V| at most {objective} (relative)",
            $"both <= {WorstCase.Format(Bound)}", passed, mass.Value >= objective.Value ? mass.Instance : objective.Instance);
    }
}
