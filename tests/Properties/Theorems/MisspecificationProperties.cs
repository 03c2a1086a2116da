using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Misspecification;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// DISCOUNT-MISSPEC (THEORY.md sections 4 and 8): with data from a Boltzmann demonstrator under gamma2, the construction
/// R_hat = R_inv + k (gamma1 Phi(s') - Phi(s)) explains the data under gamma1 to 1e-9 and is at STARC distance &gt;= 1.99
/// from the true reward. Source: Skalse and Abate (2023), Misspecification in inverse reinforcement learning.
/// </summary>
public sealed class DiscountMisspecProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Fact]
    public void WrongDiscount_AnyModel_AdmitsARewardAtDistanceNearTwo()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            // A constant potential makes -Phi(s') a member of N plus a constant; the construction needs Phi to vary.
            if (shaping.Potential.Distinct().Count() < 2 || c.Mdp.StateCount < 2) return;
            double assumed = c.Mdp.Discount > 0.5 ? c.Mdp.Discount - 0.2 : c.Mdp.Discount + 0.2;
            MisspecificationResult result;
            try
            {
                result = DiscountMisspecification.Analyse(c.Mdp, assumed, shaping.Potential, 1.0, Backend);
            }
            catch (ArgumentException)
            {
                return; // -Phi(s') lies in N of this model (e.g. every row the same): no direction to move along.
            }
            Assert.InRange(result.PolicyGap, 0, 1e-9);
            Assert.InRange(Math.Min(result.ValDistance, result.MinDistance), 1.99, 2 + 1e-9);
        }, PropertyCheck.SolverCases);
    }
}

/// <summary>
/// TRANSITION-MISSPEC (THEORY.md sections 4 and 8): with D an S'-redistribution under the assumed tau1 and the truth
/// R2 = -E_tau2 D, the reward R_inv + k D explains the data under tau1 to 1e-9 and is at STARC distance &gt;= 1.99 from R2
/// under tau2. Source: Skalse and Abate (2023).
/// </summary>
public sealed class TransitionMisspecProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Fact]
    public void WrongTransitions_AnyPairOfModels_AdmitARewardAtDistanceNearTwo()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            var m = shaping.Model;
            // The assumed model: the true rows reversed over next states, so tau1 != tau2 whenever a row is not symmetric.
            var reversed = new double[m.StateCount * m.ActionCount * m.StateCount];
            for (int row = 0; row < m.StateCount * m.ActionCount; row++)
                for (int next = 0; next < m.StateCount; next++)
                    reversed[row * m.StateCount + next] = m.Transitions[row * m.StateCount + (m.StateCount - 1 - next)];
            var assumed = Theory.Claims.ClaimInstances.Build(m.StateCount, m.ActionCount, m.Discount, reversed);
            MisspecificationResult result;
            try
            {
                result = TransitionMisspecification.Analyse(c.Mdp, assumed, c.Other, 1.0, Backend);
            }
            catch (ArgumentException)
            {
                return; // the redistribution under tau1 is also in N under tau2: no direction to move along.
            }
            Assert.InRange(result.PolicyGap, 0, 1e-9);
            Assert.InRange(Math.Min(result.ValDistance, result.MinDistance), 1.99, 2 + 1e-9);
        }, PropertyCheck.SolverCases);
    }
}

/// <summary>
/// PERTURBATION (THEORY.md sections 4 and 8): b(eta R) and b(-eta R) differ by at most beta eta max|rbar| / (1 - gamma),
/// while eta R and -eta R are at STARC distance 2 whenever c(R) != 0. Source: Skalse and Abate (2023).
/// </summary>
public sealed class PerturbationProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Fact]
    public void OppositeSmallRewards_AnyModel_GiveNearPoliciesAtDistanceTwo()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            foreach (double eta in new[] { 1e-1, 1e-3 })
            {
                var result = PolicyPerturbation.Analyse(c.Mdp, c.Reward, 1.0, eta, Backend);
                Assert.InRange(result.PolicyGap, 0, result.Bound * (1 + 1e-9) + 1e-15);
                // c(R) = 0 (R in N, e.g. one state and one action) gives distance 0; otherwise 2.
                Assert.True(Math.Abs(result.Distance - 2) <= 1e-10 || result.Distance == 0, $"distance {result.Distance}");
            }
        }, PropertyCheck.SolverCases);
    }
}
