using TabularRL.Theory.Misspecification;

namespace TabularRL.Theory.Claims;

/// <summary>
/// PERTURBATION: b(eta R) and b(-eta R) (Boltzmann, beta = 1) differ by at most beta eta max|rbar| / (1 - gamma), an
/// O(eta) bound, for eta in {1e-1, 1e-2, 1e-3}, while the STARC distance between eta R and -eta R is 2.
/// </summary>
public sealed class PerturbationClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "PERTURBATION";

    /// <inheritdoc/>
    public string Source => "Skalse & Abate 2023 (Misspecification in IRL), perturbation robustness";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var ratio = new WorstCase();
        var distance = new WorstCase(largest: false);
        var smallestGap = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.Model();
            var reward = instances.Reward(mdp);
            string label = InstanceLabel.Of(i, mdp);
            foreach (double eta in new[] { 1e-1, 1e-2, 1e-3 })
            {
                var result = PolicyPerturbation.Analyse(mdp, reward, 1.0, eta, instances.Backend);
                ratio.Observe(result.PolicyGap / result.Bound, $"{label}, eta {eta}");
                distance.Observe(result.Distance, $"{label}, eta {eta}");
                if (eta == 1e-3) smallestGap.Observe(result.PolicyGap, label);
            }
        }
        bool passed = ratio.Value <= 1 && Math.Abs(distance.Value - 2) <= 1e-10;
        return new ClaimResult(Id, Source, count,
            $"gap / (beta eta max|rbar| / (1-gamma)) at most {ratio}; largest gap at eta = 1e-3: {smallestGap}; STARC distance at least {distance}",
            "ratio <= 1; distance = 2 (1e-10)", passed, ratio.Instance);
    }
}
