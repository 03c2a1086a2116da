using FsCheck;
using FsCheck.Fluent;
using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Theory.Data;
using TabularRL.Theory.DemoReg;
using TabularRL.Theory.Experiments;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// DEMOREG-DECOMPOSITION (THEORY.md sections 6 and 8). If pi_hat is eps_RL-optimal for J_lambda(pi) = V^pi - lambda
/// KL_traj(pi || pi_BC) and the expert is eps_E-optimal, then V* - V^{pi_hat} &lt;= eps_E + eps_RL + lambda KL_traj(pi_E || pi_BC)
/// (Tiapkin et al. 2023, arXiv 2310.17303). Every term is computed exactly, so the bound must hold on every instance up to rounding.
/// </summary>
public sealed class DemoregDecompositionProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Experiment_DefaultSize_HoldsOnEveryInstance(int seed)
    {
        var report = new DecompositionExperiment().Run(new ExperimentSettings(seed, false, Backend));
        Assert.True(report.Passed, $"seed {seed}: {report.Observed}; {report.Detail}");
        Assert.Equal(240, report.Instances);
    }

    [Fact]
    public void Bound_ApproximatePlanner_HoldsWithMeasuredPlanningGap()
    {
        // pi_hat = a mixture of pi_lambda and a random policy: its regularised gap eps_RL is measured exactly and the
        // bound must still hold with it.
        PropertyCheck.Run(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            int S = random.Next(2, 6), A = random.Next(2, 4), H = random.Next(1, 5);
            var mdp = DemoRegInstances.Model(random, S, A, H, 0);
            var expert = DemoRegInstances.SoftExpert(mdp, 0.2, Backend);
            var clone = BehaviourCloning.Tabular(TrajectorySampler.Sample(mdp, expert, random.Next(1, 30), random), H, S, A);
            double lambda = new[] { 0.01, 0.3, 3 }[random.Next(3)];
            var planned = RegularisedPlanning.Solve(mdp, clone, lambda, Backend);
            var other = DemoRegInstances.NoisyExpert(mdp, random.NextDouble(), Backend);
            double w = random.NextDouble();
            var mixed = new double[H * S * A];
            for (int i = 0; i < mixed.Length; i++) mixed[i] = w * planned.Policy.Probabilities[i] + (1 - w) * other.Probabilities[i];
            var policy = Policy.FromProbabilities(mixed, H, S, A, 1e-8);
            double planningGap = Math.Max(0, Decomposition.RegularisedGap(mdp, clone, lambda, policy, Backend));
            var terms = Decomposition.ForPolicy(mdp, expert, clone, lambda, planningGap, policy, Backend);
            Assert.True(terms.Slack >= -1e-9 * (1 + H), $"seed {seed}: V*-V^pi = {terms.Suboptimality} > bound {terms.Bound}");
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void Bound_LambdaToZero_PlannedPolicyIsOptimalOnTheCloneSupport()
    {
        // pi_BC has full support, so as lambda -> 0 pi_lambda becomes greedy and V* - V^{pi_lambda} -> 0: the bound is
        // then met by the policy itself, whatever KL_traj is (a check that the planner, not the bound, does the work).
        var random = new Random(8);
        var mdp = DemoRegInstances.Model(random, 4, 3, 3, 0.1);
        var expert = DemoRegInstances.NoisyExpert(mdp, 0.5, Backend);
        var clone = BehaviourCloning.Tabular(TrajectorySampler.Sample(mdp, expert, 5, random), 3, 4, 3);
        var terms = Decomposition.ForExactPlanning(mdp, expert, clone, 1e-4, Backend);
        Assert.True(terms.Suboptimality < 1e-2, $"V* - V^pi = {terms.Suboptimality}");
        Assert.True(terms.ExpertGap > 0.01, "the noisy expert should be suboptimal");
    }
}
