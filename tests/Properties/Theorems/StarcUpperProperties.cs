using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Claims;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Rewards;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// STARC-UPPER (THEORY.md section 8): J1(pi1*) - J1(pi2*) &lt;= ||c(R1)||_2 ||eta1 - eta2||_2 d(R1, R2) for the L2 STARC
/// distances of c_VAL and c_min, eta the discounted occupancy of transitions. Source: Skalse et al. (2024), STARC,
/// Theorem 1 (soundness); the explicit constant is derived in <see cref="Theory.Claims.StarcUpperClaim"/>.
/// </summary>
public sealed class StarcUpperProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Fact]
    public void Regret_AnyRewardPair_IsWithinTheExplicitBound()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            var mdp = c.Mdp;
            var best = Optimal(mdp, c.Reward);
            var other = Optimal(mdp, c.Other);
            var model1 = mdp.WithExpectedRewards(c.Reward.Expected(mdp));
            double regret = PolicyEvaluation.Evaluate(model1, best, Backend).Objective - PolicyEvaluation.Evaluate(model1, other, Backend).Objective;
            double gap = RewardNorm.L2.Distance(Eta(mdp, best), Eta(mdp, other));
            double slack = 1e-9 * c.Scale / (1 - mdp.Discount);
            foreach (ICanonicalisation canon in new ICanonicalisation[] { new ValCanonicalisation(mdp, Backend), new MinimalCanonicalisation(mdp) })
            {
                double bound = RewardNorm.L2.Of(canon.Apply(c.Reward)) * gap * new StarcMetric(canon, RewardNorm.L2).Distance(c.Reward, c.Other);
                Assert.True(regret <= bound + slack, $"c_{canon.Name}: regret {regret} > bound {bound}");
            }
        }, PropertyCheck.SolverCases);
    }

    private static Policy Optimal(Mdp mdp, TransitionReward reward) => Objectives.OptimalPolicy(mdp, reward, Backend);

    private static double[] Eta(Mdp mdp, Policy policy) => Objectives.TransitionOccupancy(mdp, policy, Backend);
}
