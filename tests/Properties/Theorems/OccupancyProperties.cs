using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// OCCUPANCY (THEORY.md sections 1 and 8). The discounted occupancy d^pi = mu0^T (I - gamma P_pi)^{-1},
/// eta(s,a) = d(s) pi(a|s), has total mass sum eta = 1/(1-gamma), and J(pi) = &lt;eta, rbar&gt; = mu0 . V^pi
/// (Puterman 1994, section 6.9; Altman 1999, Constrained Markov Decision Processes, chapter 3). For a finite horizon
/// the stage-h occupancy gamma^h Pr(s_h = s, a_h = a) has mass gamma^h and J = sum_h &lt;eta_h, r_h&gt;.
/// </summary>
public sealed class OccupancyProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Fact]
    public void Occupancy_Discounted_SumsToOneOverOneMinusGamma()
    {
        PropertyCheck.Run(ModelGenerators.DiscountedWithPolicy(), c =>
        {
            var mdp = c.Model.Build();
            var policy = Policy.FromProbabilities(c.Policy, 1, c.Model.StateCount, c.Model.ActionCount);
            var occupancy = OccupancyMeasure.Compute(mdp, policy, Backend);
            double gamma = c.Model.Discount;
            double total = 0, totalSA = 0;
            foreach (double d in occupancy.StateOccupancy) total += d;
            foreach (double e in occupancy.StateActionOccupancy) totalSA += e;
            double slack = Numerics.Slack(1 / (1 - gamma), gamma);
            Assert.True(Math.Abs(total - 1 / (1 - gamma)) <= occupancy.ErrorBound + slack,
                $"sum d = {total}, 1/(1-gamma) = {1 / (1 - gamma)}, bound {occupancy.ErrorBound}");
            Assert.True(Math.Abs(totalSA - total) <= slack, $"sum eta = {totalSA} differs from sum d = {total}");
            foreach (double e in occupancy.StateActionOccupancy) Assert.True(e >= 0);
        });
    }

    [Fact]
    public void Objective_Discounted_EqualsOccupancyTimesRewardAndInitialTimesValues()
    {
        PropertyCheck.Run(ModelGenerators.DiscountedWithPolicy(), c =>
        {
            var mdp = c.Model.Build();
            int S = c.Model.StateCount;
            var policy = Policy.FromProbabilities(c.Policy, 1, S, c.Model.ActionCount);
            var occupancy = OccupancyMeasure.Compute(mdp, policy, Backend);
            var evaluation = PolicyEvaluation.Evaluate(mdp, policy, Backend);
            var rbar = c.Model.ExpectedRewards();
            double viaEta = 0;
            for (int i = 0; i < rbar.Length; i++) viaEta += occupancy.StateActionOccupancy[i] * rbar[i];
            double viaValues = 0;
            for (int s = 0; s < S; s++) viaValues += c.Model.InitialDistribution[s] * evaluation.Values[s];
            double gamma = c.Model.Discount, rMax = c.Model.RewardScale;
            double slack = Numerics.Slack(rMax + rMax / (1 - gamma), gamma);
            // |<eta - eta*, r>| <= ||d - d*||_1 max|r|; |J - J*| <= ||V - V*||_inf.
            double allowed = occupancy.ErrorBound * rMax + evaluation.ErrorBound + slack;
            Assert.True(Math.Abs(viaEta - evaluation.Objective) <= allowed, $"<eta, r> = {viaEta}, J = {evaluation.Objective}, allowed {allowed}");
            Assert.True(Math.Abs(viaValues - evaluation.Objective) <= slack, $"mu0 . V = {viaValues}, J = {evaluation.Objective}");
            // And both against an independent dense solve of (I - gamma P_pi) V = r_pi.
            var exact = Numerics.PolicyValues(c.Model, c.Policy);
            double exactJ = 0;
            for (int s = 0; s < S; s++) exactJ += c.Model.InitialDistribution[s] * exact[s];
            Assert.True(Math.Abs(exactJ - evaluation.Objective) <= evaluation.ErrorBound + 2 * slack, $"dense J = {exactJ}, engine J = {evaluation.Objective}");
        });
    }

    [Fact]
    public void Occupancy_FiniteHorizon_StageMassIsGammaToTheHAndObjectiveIsStageSum()
    {
        PropertyCheck.Run(ModelGenerators.FiniteHorizonWithPolicy(), c =>
        {
            var model = c.Model;
            var mdp = model.Build();
            int H = model.Horizon!.Value, S = model.StateCount, A = model.ActionCount;
            var policy = Policy.FromProbabilities(c.Policy, c.PolicyStages, S, A);
            var occupancy = OccupancyMeasure.Compute(mdp, policy, Backend);
            var evaluation = PolicyEvaluation.Evaluate(mdp, policy, Backend);
            Assert.Equal(H, occupancy.StageCount);
            double gamma = model.Discount;
            double slack = 64 * Numerics.Epsilon * H * (S + 1);
            for (int h = 0; h < H; h++)
            {
                double mass = 0;
                for (int i = 0; i < S * A; i++) mass += occupancy.StateActionOccupancy[h * S * A + i];
                Assert.True(Math.Abs(mass - Math.Pow(gamma, h)) <= slack, $"stage {h} mass {mass}, gamma^h = {Math.Pow(gamma, h)}");
            }
            var rbar = model.ExpectedRewards();
            int rewardStages = rbar.Length / (S * A);
            double j = 0;
            for (int h = 0; h < H; h++)
                for (int i = 0; i < S * A; i++)
                    j += occupancy.StateActionOccupancy[h * S * A + i] * rbar[(rewardStages == 1 ? 0 : h) * S * A + i];
            double scale = model.RewardScale * H;
            Assert.True(Math.Abs(j - evaluation.Objective) <= slack * scale, $"sum_h <eta_h, r_h> = {j}, J = {evaluation.Objective}");
        });
    }
}
