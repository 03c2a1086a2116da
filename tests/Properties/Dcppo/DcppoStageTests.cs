using FsCheck.Fluent;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Tests.Linear;
using TabularRL.Theory.Data;
using TabularRL.Theory.Dcppo;
using TabularRL.Theory.Estimation;
using TabularRL.Theory.Linear;

namespace TabularRL.Tests.Dcppo;

/// <summary>The pieces of DCPPO (THEORY.md section 5): the logit human, the step-1 likelihood, the normalisation and Bellman least squares, the pessimistic planner.</summary>
public sealed class DcppoStageTests
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Fact]
    public void DynamicChoiceModel_FullChoiceSet_EqualsSoftValueIterationAtTemperatureOne()
    {
        PropertyCheck.Run(LinearCase.Gen().ToArbitrary(), c =>
        {
            var linear = c.Build();
            var human = DynamicChoiceModel.Solve(linear);
            var soft = SoftValueIteration.Solve(linear.ToTabular(), new SoftValueIterationOptions { Temperature = 1 }, Backend);
            int S = linear.StateCount, H = linear.Horizon;
            double tolerance = 1e-12 * (H + 1) * (1 + Math.Log(linear.ActionCount));
            Assert.True(Numerics.SupDistance(human.QHSA, soft.QValues) <= tolerance, $"Q differ by {Numerics.SupDistance(human.QHSA, soft.QValues)}");
            Assert.True(Numerics.SupDistance(human.VHS[..(H * S)], soft.Values) <= tolerance, $"V differ by {Numerics.SupDistance(human.VHS[..(H * S)], soft.Values)}");
            Assert.True(Numerics.SupDistance(human.PiHSA, soft.Policy) <= tolerance, $"pi differ by {Numerics.SupDistance(human.PiHSA, soft.Policy)}");
        });
    }

    [Fact]
    public void DynamicChoiceModel_AnyChoiceSet_QDifferencesAreLogOddsOfTheChoices()
    {
        PropertyCheck.Run(LinearCase.Gen().ToArbitrary(), c =>
        {
            var linear = c.Build();
            int S = linear.StateCount, A = linear.ActionCount, C = 1 + c.Seed % A;
            var human = DynamicChoiceModel.Solve(linear, C);
            for (int h = 0; h < linear.Horizon; h++)
                for (int s = 0; s < S; s++)
                {
                    int row = (h * S + s) * A;
                    double total = 0;
                    for (int a = 0; a < A; a++)
                    {
                        double p = human.PiHSA[row + a];
                        total += p;
                        if (a >= C) { Assert.Equal(0, p); continue; }
                        // Q_h(s,a) - Q_h(s,a0) = log pi_h(a|s) - log pi_h(a0|s), a0 = 0.
                        double lhs = human.QHSA[row + a] - human.QHSA[row];
                        double rhs = Math.Log(p) - Math.Log(human.PiHSA[row]);
                        Assert.True(Math.Abs(lhs - rhs) <= 1e-12 * (1 + Math.Abs(lhs)), $"(h={h}, s={s}, a={a}): Q difference {lhs}, log odds {rhs}");
                    }
                    Assert.Equal(1, total, 1e-12);
                    Assert.Equal(Math.Log(Enumerable.Range(0, C).Sum(a => Math.Exp(human.QHSA[row + a]))), human.VHS[h * S + s], 1e-12);
                }
        });
    }

    [Fact]
    public void ChoiceLikelihood_GradientAndHessian_MatchCentralFiniteDifferences()
    {
        PropertyCheck.Run(LinearCase.Gen().ToArbitrary(), c =>
        {
            var linear = c.Build();
            var random = new Random(c.Seed);
            var episodes = TrajectorySampler.Sample(linear.ToTabular(), DynamicChoiceModel.Solve(linear).Policy, 20, random);
            var data = ChoiceStage.Data(DcppoProblem.For(linear), episodes, random.Next(linear.Horizon));
            int d = linear.Dimension;
            var theta = Enumerable.Range(0, d).Select(_ => 4 * random.NextDouble() - 2).ToArray();
            double ridge = random.NextDouble();
            var gradient = new double[d];
            var hessian = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(d, d);
            MultinomialLogit.Evaluate(data, theta, ridge, gradient, hessian);
            const double step = 1e-5;
            var plus = new double[d];
            var minus = new double[d];
            var gPlus = new double[d];
            var gMinus = new double[d];
            for (int k = 0; k < d; k++)
            {
                theta.CopyTo(plus, 0);
                theta.CopyTo(minus, 0);
                plus[k] += step;
                minus[k] -= step;
                double fPlus = MultinomialLogit.Evaluate(data, plus, ridge, gPlus, null);
                double fMinus = MultinomialLogit.Evaluate(data, minus, ridge, gMinus, null);
                // Central differences err by O(step^2 f''') plus rounding O(eps |f| / step); |f| <= n (log A + ridge ||theta||^2).
                double numeric = (fPlus - fMinus) / (2 * step);
                Assert.True(Math.Abs(numeric - gradient[k]) <= 1e-6 * (1 + data.Count), $"dL/dtheta_{k}: analytic {gradient[k]}, numeric {numeric}");
                for (int l = 0; l < d; l++)
                {
                    double second = (gPlus[l] - gMinus[l]) / (2 * step);
                    Assert.True(Math.Abs(second - hessian[l, k]) <= 1e-6 * (1 + data.Count), $"d2L/dtheta_{l}dtheta_{k}: analytic {hessian[l, k]}, numeric {second}");
                }
            }
        });
    }

    // Every (s, a < C, s') of every stage with weight scale * P_h(s'|s,a): the regression targets then average to their
    // conditional expectations exactly, and the ridge l = 1 is negligible next to the weights.
    private static RidgeDesign[] ExactDesigns(LinearMdp linear, int choiceSetSize, double scale = 1e10)
    {
        int S = linear.StateCount, A = linear.ActionCount, H = linear.Horizon;
        var designs = new RidgeDesign[H];
        for (int h = 0; h < H; h++)
        {
            var samples = new List<StageSample>();
            for (int s = 0; s < S; s++)
                for (int a = 0; a < choiceSetSize; a++)
                    for (int next = 0; next < S; next++)
                    {
                        double p = linear.TransitionsHSAS[((h * S + s) * A + a) * S + next];
                        if (p > 0) samples.Add(new StageSample(s, a, next, scale * p));
                    }
            designs[h] = RidgeDesign.Build(linear.Features, samples.ToArray(), 1);
        }
        return designs;
    }

    // Features of random simplex draws with S*A >= 2d span R^d almost surely; one-hot features always do.
    private static bool Spans(LinearCase c) => c.StateCount * c.ActionCount >= 2 * c.Dimension;

    [Fact]
    public void BellmanLeastSquares_TrueQShiftedPerState_ExactData_RecoversTrueRewardQAndV()
    {
        PropertyCheck.Run(LinearCase.Gen().ToArbitrary(), c =>
        {
            if (!Spans(c)) return PropertyCheck.Discard; // the reward is identified only along the span of the features
            var linear = c.Build();
            AssertRecovers(linear, new Random(c.Seed));
            return PropertyCheck.Pass;
        });
    }

    [Fact]
    public void BellmanLeastSquares_OneHotTabularModel_ExactData_RecoversTrueReward()
    {
        PropertyCheck.Run(ModelGenerators.FiniteHorizon(maxStates: 6, maxActions: 3).ToArbitrary(), model =>
        {
            var mdp = model.Build();
            var rewards = Enumerable.Range(0, mdp.StageCount * mdp.StateCount * mdp.ActionCount)
                .Select(i => (i * 0.37) % 1).ToArray(); // rewards in [0, 1] for any layout of the generator's own
            var linear = LinearMdp.OneHot(mdp.WithExpectedRewards(rewards));
            AssertRecovers(linear, new Random(model.StateCount * 31 + model.ActionCount));
        }, PropertyCheck.SolverCases);
    }

    private static void AssertRecovers(LinearMdp linear, Random random)
    {
        int S = linear.StateCount, A = linear.ActionCount, H = linear.Horizon;
        var human = DynamicChoiceModel.Solve(linear);
        var problem = DcppoProblem.For(linear, referenceAction: random.Next(A));
        // Choices identify Q_h only up to c_h(s): hand the regression the true Q moved by an arbitrary per-state shift.
        var shifted = human.QHSA.ToArray();
        for (int hs = 0; hs < H * S; hs++)
        {
            double shift = 10 * random.NextDouble() - 5;
            for (int a = 0; a < A; a++) shifted[hs * A + a] += shift;
        }
        var estimate = BellmanRewardRegression.Recover(problem, ExactDesigns(linear, A), shifted);
        double scale = H + 1;
        double rewardError = Numerics.SupDistance(estimate.RewardsHSA, linear.RewardsHSA);
        Assert.True(rewardError <= 1e-6 * scale, $"max |r_hat - r| = {rewardError}");
        Assert.True(Numerics.SupDistance(estimate.QHSA, human.QHSA) <= 1e-6 * scale, $"max |Q_hat - Q| = {Numerics.SupDistance(estimate.QHSA, human.QHSA)}");
        Assert.True(Numerics.SupDistance(estimate.VHS, human.VHS) <= 1e-6 * scale, $"max |V_hat - V| = {Numerics.SupDistance(estimate.VHS, human.VHS)}");
    }

    [Fact]
    public void BellmanLeastSquares_WithoutNormalisation_WouldBeOffByTheShift()
    {
        // The check above can fail: feeding the shifted Q to the regression with a wrong known reward r(s,a0) + 1 moves the
        // recovered reward at the reference action by exactly that amount (the normalisation is what pins the level).
        var linear = RandomLinearMdp.Generate(new Random(3), 6, 3, 3, 2, 0.9, 3);
        var truth = DcppoProblem.For(linear);
        var wrong = new DcppoProblem(linear.Features, linear.Horizon, linear.Discount, 3, 0, truth.ReferenceRewardsHS.ToArray().Select(r => r + 1).ToArray());
        var q = DynamicChoiceModel.Solve(linear).QHSA.ToArray();
        var designs = ExactDesigns(linear, 3);
        var right = BellmanRewardRegression.Recover(truth, designs, q);
        var off = BellmanRewardRegression.Recover(wrong, designs, q);
        Assert.True(Numerics.SupDistance(right.RewardsHSA, linear.RewardsHSA) < 1e-6);
        Assert.True(Numerics.SupDistance(off.RewardsHSA, linear.RewardsHSA) > 0.5);
    }

    [Fact]
    public void PessimisticValueIteration_ExactDataTrueRewardBetaZero_IsOptimalPlanning()
    {
        PropertyCheck.Run(LinearCase.Gen().ToArbitrary(), c =>
        {
            if (!Spans(c)) return PropertyCheck.Discard; // nu_h is exact only when the data span the features
            var linear = c.Build();
            var problem = DcppoProblem.For(linear);
            var plan = PessimisticValueIteration.Plan(problem, ExactDesigns(linear, linear.ActionCount), linear.RewardsHSA, beta: 0);
            var exact = LinearValueIteration.Solve(linear);
            double gap = Numerics.SupDistance(plan.QHSA, exact.QHSA);
            Assert.True(gap <= 1e-6 * (c.Horizon + 1), $"max |Q_PEVI - Q*| = {gap} (true values lie inside the clipping range, so clipping must not act)");
            return PropertyCheck.Pass;
        });
    }

    [Fact]
    public void RidgeDesign_OneHotFeatures_WidthIsOneOverRootOfCountPlusRidge()
    {
        var features = new FeatureMap([1, 0, 0, 0, 1, 0, 0, 0, 1], 1, 3, 3);
        var samples = Enumerable.Repeat(new StageSample(0, 0, 0, 1), 3).Append(new StageSample(0, 1, 0, 8)).ToArray();
        var design = RidgeDesign.Build(features, samples, 0.5);
        Assert.Equal(1 / Math.Sqrt(3.5), design.Width(0, 0), 1e-14);
        Assert.Equal(1 / Math.Sqrt(8.5), design.Width(0, 1), 1e-14);
        Assert.Equal(1 / Math.Sqrt(0.5), design.Width(0, 2), 1e-14);
        var w = design.Regress(x => x.Action == 0 ? 2 : 1);
        Assert.Equal(6 / 3.5, w[0], 1e-14);
        Assert.Equal(8 / 8.5, w[1], 1e-14);
        Assert.Equal(0, w[2]);
    }

    [Fact]
    public void Problem_BadNormalisationOrChoiceSet_ThrowsNamingIt()
    {
        var linear = RandomLinearMdp.Generate(new Random(1), 3, 3, 2, 2, 1, 2);
        var reference = new double[6];
        Assert.Equal("referenceAction", Assert.Throws<ArgumentOutOfRangeException>(() => new DcppoProblem(linear.Features, 2, 1, 2, 2, reference)).ParamName);
        Assert.Equal("choiceSetSize", Assert.Throws<ArgumentOutOfRangeException>(() => new DcppoProblem(linear.Features, 2, 1, 4, 0, reference)).ParamName);
        Assert.Contains("H*S", Assert.Throws<ArgumentException>(() => new DcppoProblem(linear.Features, 2, 1, 3, 0, new double[5])).Message);
        reference[4] = double.NaN;
        Assert.Contains("(h=1, s=1)", Assert.Throws<ArgumentException>(() => new DcppoProblem(linear.Features, 2, 1, 3, 0, reference)).Message);
    }

    [Fact]
    public void Stages_BadInput_ThrowNamingIt()
    {
        var linear = RandomLinearMdp.Generate(new Random(1), 3, 3, 2, 2, 1, 2);
        var problem = DcppoProblem.For(linear, choiceSetSize: 2);
        var episode = new Trajectory([0, 1, 2], [0, 2]);
        var e = Assert.Throws<ArgumentException>(() => ChoiceStage.Data(problem, [episode], 1));
        Assert.Contains("action 2 at stage 1, outside the choice set [0, 2)", e.Message);
        Assert.Contains("horizon is 2", Assert.Throws<ArgumentException>(() => StageSample.ByStage([new Trajectory([0, 1], [0])], 2)).Message);
        Assert.Equal("ridge", Assert.Throws<ArgumentOutOfRangeException>(() => RidgeDesign.Build(linear.Features, [], 0)).ParamName);
        Assert.Contains("weight", Assert.Throws<ArgumentException>(() => RidgeDesign.Build(linear.Features, [new StageSample(0, 0, 0, -1)], 1)).Message);
        var designs = Theory.Dcppo.Dcppo.Designs(problem, [], 1);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => PessimisticValueIteration.Plan(problem, designs, linear.RewardsHSA, -1)).ParamName);
        Assert.Contains("H*S*A", Assert.Throws<ArgumentException>(() => PessimisticValueIteration.Plan(problem, designs, new double[3], 1)).Message);
    }
}
