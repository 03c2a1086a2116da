using FsCheck.Fluent;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Engine.Solvers;

/// <summary>Solvers on models whose answer is known in closed form or from an independent computation.</summary>
public sealed class ClosedFormSolverTests
{
    [Fact]
    public void AllHardSolvers_TwoStateChain_MatchHandSolution()
    {
        var mdp = SolverTestModels.TwoStateChain();
        foreach (var backend in SolverTestModels.Backends())
        {
            foreach (var result in SolverTestModels.HardSolves(mdp, backend))
            {
                Assert.True(result.Converged, $"{result.Method} on {backend.Name}");
                Assert.Equal(1, result.StageCount);
                for (int s = 0; s < 2; s++)
                    Assert.True(Math.Abs(result.Values[s] - SolverTestModels.TwoStateValues[s]) <= result.ErrorBound + 1e-13,
                        $"{result.Method} on {backend.Name}: V({s}) = {result.Values[s]}, expected {SolverTestModels.TwoStateValues[s]} within {result.ErrorBound}");
                for (int i = 0; i < 4; i++)
                    Assert.Equal(SolverTestModels.TwoStateQ[i], result.QValues[i], 9);
                Assert.Equal(SolverTestModels.TwoStateActions, result.Actions.ToArray());
                Assert.Equal(new double[] { 0, 1, 1, 0 }, result.Policy.ToArray());
                Assert.InRange(result.ErrorBound, 0, 1e-11);
            }
        }
    }

    [Fact]
    public void AllHardSolvers_ZeroDiscount_ValueIsMaxReward()
    {
        PropertyCheck.Run(ModelGenerators.Discounted().Select(m => m with { Discount = 0 }).ToArbitrary(), model =>
        {
            var mdp = model.Build();
            var rbar = model.ExpectedRewards();
            int A = model.ActionCount;
            foreach (var result in SolverTestModels.HardSolves(mdp, new CpuBackend(1)))
            {
                Assert.True(result.Converged);
                for (int s = 0; s < model.StateCount; s++)
                {
                    double max = rbar.AsSpan(s * A, A).ToArray().Max();
                    Assert.Equal(max, result.Values[s], 12);
                    // gamma/(1-gamma) = 0 makes the iterative certificates exactly 0; policy iteration certifies its
                    // residual, which is 0 up to its switching threshold (1e-13 relative) when rbar has near-ties.
                    Assert.InRange(result.ErrorBound, 0, 1e-13 * Math.Max(1, Math.Abs(max)));
                }
            }
        }, 30);
    }

    [Fact]
    public void AllHardSolvers_SingleAction_ValueIsLinearSolve()
    {
        PropertyCheck.Run(ModelGenerators.Discounted(maxActions: 1).ToArbitrary(), model =>
        {
            var mdp = model.Build();
            var exact = Numerics.PolicyValues(model, Enumerable.Repeat(1.0, model.StateCount).ToArray());
            double scale = model.RewardScale / (1 - model.Discount);
            double slack = Numerics.Slack(scale + model.RewardScale, model.Discount);
            foreach (var result in SolverTestModels.HardSolves(mdp, new CpuBackend(1), 1e-10 * scale))
            {
                Assert.True(result.Converged, result.Method);
                double d = Numerics.SupDistance(result.Values, exact);
                Assert.True(d <= result.ErrorBound + slack, $"{result.Method}: |V - (I - gamma P)^-1 r| = {d} > {result.ErrorBound} + {slack}");
                Assert.All(result.Actions.ToArray(), a => Assert.Equal(0, a));
            }
        }, 30);
    }

    [Fact]
    public void BackwardInduction_HorizonOne_ValueIsMaxStageZeroReward()
    {
        PropertyCheck.Run(ModelGenerators.FiniteHorizon().Where(m => m.Horizon == 1).ToArbitrary(), model =>
        {
            var result = BackwardInduction.Solve(model.Build(), new CpuBackend(1));
            var rbar = model.ExpectedRewards();
            int A = model.ActionCount;
            Assert.Equal(1, result.StageCount);
            for (int s = 0; s < model.StateCount; s++)
            {
                var r = rbar.AsSpan(s * A, A).ToArray();
                Assert.Equal(r.Max(), result.Values[s]);
                // Ties (within the documented width, e.g. 0.3 vs 0.30000000000000004 from [H,S,A,S] sums) go to the lowest action.
                double threshold = r.Max() - Greedy.TieTolerance(r.Max());
                Assert.Equal(Array.FindIndex(r, x => x >= threshold), result.Actions[s]);
            }
        }, 30);
    }

    /// <summary>
    /// H = 2, S = 2, A = 2, gamma = 0.5, stage-dependent. Stage 0: a0 goes to s0, a1 goes to s1 (from either state);
    /// stage 1: a0 goes to s1, a1 goes to s0 (irrelevant, V_2 = 0). Rewards r_0 = [[1, 0], [0, 0.5]], r_1 = [[0, 3], [2, 1]].
    /// V_1 = max r_1 = [3 (a1), 2 (a0)]. Q_0(s0) = [1 + 0.5*3, 0 + 0.5*2] = [2.5, 1] -> 2.5 (a0);
    /// Q_0(s1) = [0 + 0.5*3, 0.5 + 0.5*2] = [1.5, 1.5], an exact tie that goes to the lowest action, a0.
    /// </summary>
    [Fact]
    public void BackwardInduction_StageDependentByHand_MatchesHandSolution()
    {
        var mdp = new MdpBuilder
        {
            StateCount = 2,
            ActionCount = 2,
            Discount = 0.5,
            Horizon = 2,
            DenseTransitions =
            [
                1, 0, 0, 1, 1, 0, 0, 1, // stage 0: (s0,a0)->s0, (s0,a1)->s1, (s1,a0)->s0, (s1,a1)->s1
                0, 1, 1, 0, 0, 1, 1, 0, // stage 1: (s,a0)->s1, (s,a1)->s0
            ],
            DenseTransitionsShape = [2, 2, 2, 2],
            // [H,S,A,S] with R independent of s' (a three-axis [H,S,A] array would be read as [S,A,S] when H = S = A).
            Rewards = [1, 1, 0, 0, 0, 0, 0.5, 0.5, 0, 0, 3, 3, 2, 2, 1, 1],
            RewardsShape = [2, 2, 2, 2],
        }.Build();
        foreach (var backend in SolverTestModels.Backends())
        {
            var result = BackwardInduction.Solve(mdp, backend);
            Assert.Equal(2, result.StageCount);
            Assert.Equal(new double[] { 2.5, 1.5, 3, 2 }, result.Values.ToArray());
            Assert.Equal(new double[] { 2.5, 1, 1.5, 1.5, 0, 3, 2, 1 }, result.QValues.ToArray());
            Assert.Equal(new[] { 0, 0, 1, 0 }, result.Actions.ToArray());
            Assert.Equal(0, result.ErrorBound);
            Assert.True(result.Converged);
            // Every hard solver hands a finite-horizon model to backward induction.
            foreach (var other in new[]
            {
                ValueIteration.Solve(mdp, new SolverOptions(), backend),
                PolicyIteration.Solve(mdp, new PolicyIterationOptions(), backend),
                ModifiedPolicyIteration.Solve(mdp, new ModifiedPolicyIterationOptions(), backend),
                GaussSeidelValueIteration.Solve(mdp, new SolverOptions(), backend),
            })
                Assert.Equal(result.Values.ToArray(), other.Values.ToArray());
        }
    }

    [Fact]
    public void BackwardInduction_RandomFiniteModels_MatchesIndependentLoop()
    {
        PropertyCheck.Run(ModelGenerators.FiniteHorizon().ToArbitrary(), model =>
        {
            int H = model.Horizon!.Value, S = model.StateCount, A = model.ActionCount;
            var rbar = model.ExpectedRewards();
            int rewardStages = rbar.Length / (S * A);
            // V_H = 0; Q_h(s,a) = r_h(s,a) + gamma sum_s' P_h(s'|s,a) V_{h+1}(s'); V_h = max_a Q_h.
            var v = new double[(H + 1) * S];
            var q = new double[H * S * A];
            for (int h = H - 1; h >= 0; h--)
                for (int s = 0; s < S; s++)
                {
                    double best = double.NegativeInfinity;
                    for (int a = 0; a < A; a++)
                    {
                        double next = 0;
                        for (int n = 0; n < S; n++) next += model.P(h, s, a, n) * v[(h + 1) * S + n];
                        double value = rbar[((rewardStages == 1 ? 0 : h) * S + s) * A + a] + model.Discount * next;
                        q[(h * S + s) * A + a] = value;
                        best = Math.Max(best, value);
                    }
                    v[h * S + s] = best;
                }
            double tol = 64 * Numerics.Epsilon * H * H * model.RewardScale;
            var mdp = model.Build();
            foreach (var backend in SolverTestModels.Backends())
            {
                var result = BackwardInduction.Solve(mdp, backend);
                Assert.True(Numerics.SupDistance(result.Values, v.AsSpan(0, H * S)) <= tol, $"{backend.Name}: values differ");
                Assert.True(Numerics.SupDistance(result.QValues, q) <= tol, $"{backend.Name}: Q differs");
                for (int i = 0; i < H * S; i++)
                {
                    int a = result.Actions[i];
                    Assert.True(q[i * A + a] >= v[i] - Greedy.TieTolerance(v[i]) - tol, $"{backend.Name}: action {a} at row {i} is not greedy");
                    Assert.Equal(1.0, result.Policy[i * A + a]);
                }
            }
        }, 60);
    }
}
