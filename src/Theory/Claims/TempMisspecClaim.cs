using TabularRL.Theory.Behaviour;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;

namespace TabularRL.Theory.Claims;

/// <summary>
/// TEMP-MISSPEC: the reward inferred from b_beta2(R) with the wrong beta1 is at STARC distance 0 from R
/// (b_beta2(R) = b_beta1((beta2/beta1) R)); beta2 and beta1 drawn log-uniformly in [0.1, 10].
/// </summary>
public sealed class TempMisspecClaim : IClaim
{
    private const double Bound = 1e-9;

    /// <inheritdoc/>
    public string Id => "TEMP-MISSPEC";

    /// <inheritdoc/>
    public string Source => "Skalse & Abate 2023 (Misspecification in IRL)";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var worst = new WorstCase();
        int skipped = 0;
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.Model();
            var reward = instances.Reward(mdp);
            double trueBeta = Math.Exp(Math.Log(10) * (2 * instances.Random.NextDouble() - 1));
            double assumedBeta = Math.Exp(Math.Log(10) * (2 * instances.Random.NextDouble() - 1));
            var observed = new BoltzmannBehaviour(mdp, trueBeta, instances.Backend).Act(reward);
            // exp(beta Q*) can underflow to a zero probability for large beta times value gaps; no full-support inversion then.
            if (observed.Probabilities.ToArray().Any(p => !(p > 0)))
            {
                skipped++;
                continue;
            }
            var inferred = new BoltzmannBehaviour(mdp, assumedBeta, instances.Backend).Invert(observed);
            foreach (ICanonicalisation canon in new ICanonicalisation[] { new ValCanonicalisation(mdp, instances.Backend), new MinimalCanonicalisation(mdp) })
                worst.Observe(new StarcMetric(canon, RewardNorm.L2).Distance(inferred, reward), $"{InstanceLabel.Of(i, mdp)}, c_{canon.Name}");
        }
        return new ClaimResult(Id, Source, count, $"{worst} (STARC distance of the inferred reward)" + (skipped > 0 ? $"; {skipped} skipped (underflow)" : ""),
            $"<= {WorstCase.Format(Bound)}", worst.Value <= Bound, worst.Instance);
    }
}
