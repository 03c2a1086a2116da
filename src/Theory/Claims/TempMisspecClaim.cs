using TabularRL.Theory.Misspecification;

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
            MisspecificationResult result;
            try
            {
                result = TemperatureMisspecification.Analyse(mdp, reward, trueBeta, assumedBeta, instances.Backend);
            }
            catch (ArgumentException)
            {
                // exp(beta Q*) underflowed to a zero probability for a large beta times value gap: no full-support inversion.
                skipped++;
                continue;
            }
            worst.Observe(Math.Max(result.ValDistance, result.MinDistance), InstanceLabel.Of(i, mdp));
        }
        return new ClaimResult(Id, Source, count, $"{worst} (STARC distance of the inferred reward)" + (skipped > 0 ? $"; {skipped} skipped (underflow)" : ""),
            $"<= {WorstCase.Format(Bound)}", worst.Value <= Bound, worst.Instance);
    }
}
