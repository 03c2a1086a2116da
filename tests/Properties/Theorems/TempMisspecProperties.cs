using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Behaviour;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// TEMP-MISSPEC (THEORY.md sections 4 and 8). A misspecified temperature is harmless: b_beta2(R) = b_beta1((beta2/beta1) R),
/// so the reward inferred from b_beta2(R) with the wrong beta1 is a positive rescaling of R modulo N, and its STARC
/// distance to R is 0. Source: Skalse and Abate (2023), Misspecification in inverse reinforcement learning.
/// </summary>
public sealed class TempMisspecProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Fact]
    public void Boltzmann_WrongTemperature_InfersARewardAtStarcDistanceZero()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            var truth = new BoltzmannBehaviour(c.Mdp, 2.0, Backend);
            var assumed = new BoltzmannBehaviour(c.Mdp, 0.5, Backend);
            var observed = truth.Act(c.Reward);
            var rescaled = assumed.Act(c.Reward.Times(2.0 / 0.5));
            for (int i = 0; i < observed.Probabilities.Length; i++)
                Assert.InRange(Math.Abs(observed.Probabilities[i] - rescaled.Probabilities[i]), 0, 1e-9);
            // Inversion needs full support, which exp(beta Q*) always has unless it underflows; such draws are skipped.
            if (observed.Probabilities.ToArray().Any(p => !(p > 0))) return;
            var inferred = assumed.Invert(observed);
            double tolerance = 1e-10 / (1 - c.Mdp.Discount);
            foreach (ICanonicalisation canon in new ICanonicalisation[] { new ValCanonicalisation(c.Mdp, Backend), new MinimalCanonicalisation(c.Mdp) })
                Assert.InRange(new StarcMetric(canon, RewardNorm.L2).Distance(inferred, c.Reward), 0, tolerance);
        }, PropertyCheck.SolverCases);
    }
}
