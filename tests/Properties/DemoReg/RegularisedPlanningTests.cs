using FsCheck;
using FsCheck.Fluent;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Theory.Data;
using TabularRL.Theory.DemoReg;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.DemoReg;

/// <summary>Exact KL-regularised planning: its value is V(pi) - lambda KL_traj(pi || pi_BC) of the returned policy, and no other policy beats it.</summary>
public sealed class RegularisedPlanningTests
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    private static Arbitrary<int> Seeds => Gen.Choose(0, 1_000_000).ToArbitrary();

    private static double[] Lambdas => [0.01, 0.3, 1, 10];

    [Fact]
    public void Solve_RandomInstances_ValueEqualsReturnMinusLambdaKlOfReturnedPolicy()
    {
        PropertyCheck.Run(Seeds, seed =>
        {
            var random = new Random(seed);
            int S = random.Next(2, 6), A = random.Next(2, 4), H = random.Next(1, 5);
            var mdp = DemoRegInstances.Model(random, S, A, H, 0);
            var clone = BehaviourCloning.Tabular(TrajectorySampler.Sample(mdp, Policy.Uniform(S, A), random.Next(0, 20), random), H, S, A);
            double lambda = Lambdas[random.Next(Lambdas.Length)];
            var solution = RegularisedPlanning.Solve(mdp, clone, lambda, Backend);
            // Independent re-evaluation: exact policy evaluation and the forward-recursion KL.
            double value = PolicyEvaluation.Evaluate(mdp, solution.Policy, Backend).Objective;
            double kl = TrajectoryKl.Compute(mdp, solution.Policy, clone);
            double scale = H * (1 + lambda * Math.Log(A * (20.0 + A)));
            Assert.True(Math.Abs(solution.RegularisedValue - (value - lambda * kl)) <= 1e-10 * scale,
                $"seed {seed}: KL-VI value {solution.RegularisedValue}, V - lambda KL = {value - lambda * kl}");
            // Optimality against competitors: pi_BC itself, the optimal policy and a random one.
            foreach (var other in new[] { clone, DemoRegInstances.OptimalExpert(mdp, Backend), TrajectoryKlTests.RandomPolicy(random, H, S, A) })
            {
                double competitor = PolicyEvaluation.Evaluate(mdp, other, Backend).Objective - lambda * TrajectoryKl.Compute(mdp, other, clone);
                Assert.True(competitor <= solution.RegularisedValue + 1e-10 * scale, $"seed {seed}: a competitor reaches {competitor} > {solution.RegularisedValue}");
            }
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void Solve_DiscountedHorizon_KlIsDiscountedLikeRewards()
    {
        // gamma < 1 with a horizon: the KL backward induction weights stage h's KL by gamma^h, and so does TrajectoryKl.
        var random = new Random(21);
        var shape = DemoRegInstances.Model(random, 3, 2, 4, 0.1);
        var dense = new MdpBuilder
        {
            StateCount = 3, ActionCount = 2, Horizon = 4, Discount = 0.7,
            DenseTransitions = Enumerable.Range(0, 4 * 3 * 2 * 3).Select(i => 1.0 / 3).ToArray(),
            DenseTransitionsShape = [4, 3, 2, 3],
            Rewards = shape.ExpectedRewards.ToArray(), RewardsShape = [4, 3, 2],
        }.Build();
        var clone = TrajectoryKlTests.RandomPolicy(random, 4, 3, 2);
        var solution = RegularisedPlanning.Solve(dense, clone, 0.5, Backend);
        double value = PolicyEvaluation.Evaluate(dense, solution.Policy, Backend).Objective;
        Assert.Equal(value - 0.5 * TrajectoryKl.Compute(dense, solution.Policy, clone), solution.RegularisedValue, 12);
    }

    [Fact]
    public void Solve_BadCoefficient_Throws()
    {
        var mdp = DemoRegInstances.Model(new Random(1), 2, 2, 2, 0.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => RegularisedPlanning.Solve(mdp, Policy.Uniform(2, 2), 0, Backend));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegularisedPlanning.Solve(mdp, Policy.Uniform(2, 2), double.NaN, Backend));
    }

    [Fact]
    public void Solve_InfiniteHorizonModel_ThrowsNamingTheHorizon()
    {
        var mdp = TabularRL.Theory.Claims.ClaimInstances.Build(2, 2, 0.9, [1, 0, 0, 1, 0.5, 0.5, 0.5, 0.5]);
        var e = Assert.Throws<ArgumentException>(() => RegularisedPlanning.Solve(mdp, Policy.Uniform(2, 2), 1, Backend));
        Assert.Contains("finite-horizon", e.Message);
    }
}
