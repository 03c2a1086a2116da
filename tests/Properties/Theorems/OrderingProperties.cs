using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Rewards;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// ORDERING (THEORY.md sections 3 and 8). R2 = c R1 + shaping + S'-redistribution with c &gt; 0 gives
/// J2(pi) = c J1(pi) + const for every policy, so R1 and R2 order all policies the same. Source: Skalse et al. (2024),
/// STARC, Proposition 1; Skalse and Abate (2023).
/// </summary>
public sealed class OrderingProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    private static double J(RewardCase c, TransitionReward reward, Policy policy)
        => PolicyEvaluation.Evaluate(c.Mdp.WithExpectedRewards(reward.Expected(c.Mdp)), policy, Backend).Objective;

    [Fact]
    public void EquivalentRewards_AnyPolicies_ObjectivesDifferByTheScaleAndAConstant()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            const double scale = 2.75;
            var second = c.Reward.Times(scale).Plus(c.NullTerm);
            int S = c.Mdp.StateCount, A = c.Mdp.ActionCount;
            Policy[] policies = [c.Policy, Policy.Uniform(S, A), Policy.FromActions(new int[S], 1, S, A)];
            var offsets = policies.Select(p => J(c, second, p) - scale * J(c, c.Reward, p)).ToArray();
            double tolerance = 1e-10 * scale * c.Scale / (1 - c.Mdp.Discount) * 10;
            Assert.InRange(offsets.Max() - offsets.Min(), 0, tolerance);
        }, PropertyCheck.SolverCases);
    }
}
