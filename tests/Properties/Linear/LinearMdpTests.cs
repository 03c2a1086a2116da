using FsCheck.Fluent;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Linear;

namespace TabularRL.Tests.Linear;

/// <summary>Linear MDPs (THEORY.md section 5): the tabular model they imply, the one-hot special case, exact planning in feature space, validation.</summary>
public sealed class LinearMdpTests
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Fact]
    public void ToTabular_RandomLinearMdp_RowsAreDistributionsEqualToPhiDotMu()
    {
        PropertyCheck.Run(LinearCase.Gen().ToArbitrary(), c =>
        {
            var linear = c.Build();
            var mdp = linear.ToTabular();
            int S = linear.StateCount, A = linear.ActionCount, d = linear.Dimension;
            for (int h = 0; h < linear.Horizon; h++)
            {
                var rows = mdp.TransitionsAt(h);
                for (int s = 0; s < S; s++)
                    for (int a = 0; a < A; a++)
                    {
                        var dense = new double[S];
                        int row = s * A + a;
                        for (long e = rows.RowPointers.Span[row]; e < rows.RowPointers.Span[row + 1]; e++)
                            dense[rows.Columns.Span[(int)e]] = rows.Values.Span[(int)e];
                        Assert.Equal(1, dense.Sum(), 1e-12);
                        var phi = linear.Features.Of(s, a);
                        for (int next = 0; next < S; next++)
                        {
                            Assert.True(dense[next] >= 0, $"P_{h}({next}|{s},{a}) = {dense[next]}");
                            double expected = 0;
                            for (int k = 0; k < d; k++) expected += phi[k] * linear.TransitionMeasures[(h * d + k) * S + next];
                            Assert.Equal(expected, dense[next], 1e-14);
                        }
                        double reward = 0;
                        for (int k = 0; k < d; k++) reward += phi[k] * linear.RewardWeightsAt(h)[k];
                        Assert.Equal(reward, mdp.ExpectedRewardsAt(h).Span[row], 1e-14);
                        Assert.InRange(reward, 0, 1);
                    }
            }
        });
    }

    [Fact]
    public void LinearValueIteration_RandomLinearMdp_EqualsBackwardInductionOnToTabular()
    {
        PropertyCheck.Run(LinearCase.Gen().ToArbitrary(), c =>
        {
            var linear = c.Build();
            AssertPlansAgree(linear, linear.ToTabular());
        });
    }

    [Fact]
    public void LinearValueIteration_OneHotOfRandomTabularModel_EqualsBackwardInduction()
    {
        PropertyCheck.Run(ModelGenerators.FiniteHorizon().ToArbitrary(), model =>
        {
            var mdp = model.Build();
            var linear = LinearMdp.OneHot(mdp);
            Assert.Equal(mdp.StateCount * mdp.ActionCount, linear.Dimension);
            AssertPlansAgree(linear, mdp);
            // The one-hot model's own tabular form is the model it came from.
            var back = linear.ToTabular();
            for (int h = 0; h < linear.Horizon; h++)
                Assert.True(Numerics.SupDistance(mdp.ExpectedRewardsAt(h).Span, back.ExpectedRewardsAt(h).Span) <= 1e-15, "rewards of the one-hot round trip differ");
        }, PropertyCheck.SolverCases);
    }

    // Q and V agree to rounding; greedy actions agree wherever the gap to the best other action exceeds rounding.
    private static void AssertPlansAgree(LinearMdp linear, TabularRL.Engine.Model.Mdp mdp)
    {
        var plan = LinearValueIteration.Solve(linear);
        var exact = BackwardInduction.Solve(mdp, Backend);
        int S = linear.StateCount, A = linear.ActionCount, H = linear.Horizon;
        double tolerance = 1e-12 * (H + 1);
        double qGap = Numerics.SupDistance(plan.QHSA, exact.QValues);
        Assert.True(qGap <= tolerance, $"max |Q_LSVI - Q_BI| = {qGap}");
        double vGap = Numerics.SupDistance(plan.VHS.AsSpan(0, H * S), exact.Values);
        Assert.True(vGap <= tolerance, $"max |V_LSVI - V_BI| = {vGap}");
        for (int i = 0; i < H * S; i++)
        {
            int mine = plan.ActionsHS[i], theirs = exact.Actions[i];
            if (mine == theirs) continue;
            double difference = Math.Abs(exact.QValues[i * A + mine] - exact.QValues[i * A + theirs]);
            Assert.True(difference <= 10 * tolerance, $"stage-state {i}: LSVI takes {mine}, backward induction {theirs}, Q differ by {difference}");
        }
    }

    [Fact]
    public void FeatureMap_NormAboveOne_ThrowsNamingStateAndAction()
    {
        var phi = new double[2 * 2 * 2];
        phi[(1 * 2 + 0) * 2] = 0.8;
        phi[(1 * 2 + 0) * 2 + 1] = 0.8;
        var e = Assert.Throws<ArgumentException>(() => new FeatureMap(phi, 2, 2, 2));
        Assert.Contains("phi(s=1, a=0)", e.Message);
        Assert.Contains("norm", e.Message);
        Assert.Equal("phiSAD", e.ParamName);
    }

    [Fact]
    public void FeatureMap_NonFiniteFeature_Throws()
    {
        var phi = new double[4];
        phi[3] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => new FeatureMap(phi, 2, 2, 1));
        Assert.Contains("phi(s=1, a=1)", e.Message);
    }

    [Fact]
    public void LinearMdp_RowSumNotOne_ThrowsNamingStageStateActionAndSum()
    {
        // One state, two actions, d = 2 one-hot features; mu_1 for k = 1 sums to 0.5, so P_1(.|0,1) is not a distribution.
        var features = new FeatureMap([1, 0, 0, 1], 1, 2, 2);
        var e = Assert.Throws<ArgumentException>(() => new LinearMdp(features, 2, 1, new double[4], [1, 1, 1, 0.5]));
        Assert.Contains("(h=1, s=0, a=1)", e.Message);
        Assert.Contains("sums to 0.5", e.Message);
    }

    [Fact]
    public void LinearMdp_NegativeProbability_ThrowsNamingEntry()
    {
        var features = new FeatureMap([1, 0, 0, 1], 2, 1, 2);
        // mu(s'=0) = (1.5, 0), mu(s'=1) = (-0.5, 1): rows of s=0 sum to 1 but P(1|0,0) = -0.5.
        var e = Assert.Throws<ArgumentException>(() => new LinearMdp(features, 1, 1, new double[2], [1.5, -0.5, 0, 1]));
        Assert.Contains("(h=0, s=0, a=0, s'=1)", e.Message);
        Assert.Contains("-0.5", e.Message);
    }

    [Fact]
    public void LinearMdp_WrongShapes_Throw()
    {
        var features = new FeatureMap([1, 1], 2, 1, 1);
        Assert.Contains("H*d", Assert.Throws<ArgumentException>(() => new LinearMdp(features, 2, 1, new double[1], [0.5, 0.5, 0.5, 0.5])).Message);
        Assert.Contains("H*d*S", Assert.Throws<ArgumentException>(() => new LinearMdp(features, 1, 1, new double[1], [1])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearMdp(features, 0, 1, [], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearMdp(features, 1, 1.5, new double[1], [0.5, 0.5]));
        Assert.Contains("mu0(s=1)", Assert.Throws<ArgumentException>(() => new LinearMdp(features, 1, 1, new double[1], [0.5, 0.5], [1.5, -0.5])).Message);
    }

    [Fact]
    public void RandomLinearMdp_SameSeed_SameModel()
    {
        var first = RandomLinearMdp.Generate(new Random(7), 5, 3, 4, 3, 0.9, 2);
        var second = RandomLinearMdp.Generate(new Random(7), 5, 3, 4, 3, 0.9, 2);
        Assert.Equal(first.TransitionsHSAS.ToArray(), second.TransitionsHSAS.ToArray());
        Assert.Equal(first.RewardsHSA.ToArray(), second.RewardsHSA.ToArray());
        Assert.Equal(first.Features.Values.ToArray(), second.Features.Values.ToArray());
    }
}
