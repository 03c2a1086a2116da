using FsCheck;
using FsCheck.Fluent;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Rewards;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// EPIC-FAILS (THEORY.md sections 3 and 8). EPIC's and DARD's maps remove potential shaping, but they do not remove
/// S'-redistribution, and EPIC also reads rewards of impossible transitions: an S'-redistribution of 0, which changes
/// no policy's return, moves both distances away from 0 while the STARC distances stay at 0. Sources: Gleave et al.
/// (2021), EPIC; Wulfe et al. (2022), DARD; Skalse et al. (2024), STARC, Appendices A-B.
/// </summary>
public sealed class EpicFailsProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Fact]
    public void EpicAndDard_AnyModel_RemoveShaping()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            var coverage = CoverageDistributions.Uniform(c.Mdp.StateCount, c.Mdp.ActionCount);
            double tolerance = 1e-10 * c.Scale;
            foreach (ICanonicalisation canon in new ICanonicalisation[] { new EpicCanonicalisation(c.Mdp, coverage), new DardCanonicalisation(c.Mdp, coverage) })
                Assert.True(RewardCase.MaxDifference(canon.Apply(c.Reward.Plus(c.Shaping)), canon.Apply(c.Reward)) <= tolerance, $"{canon.Name} kept shaping");
        });
    }

    [Fact]
    public void EpicAndDard_Redistribution_MoveWhileStarcStaysAtZero()
    {
        // Over 200 drawn models with at least two states: every STARC distance between R and R + D is 0, and EPIC and
        // DARD each exceed 0.05 on some draws. The worst of each is reported.
        var cases = ModelGenerators.Shaping().Generator.Where(s => s.Model.StateCount >= 2).Sample(200, 20);
        double worstStarc = 0, worstEpic = 0, worstDard = 0;
        foreach (var shaping in cases)
        {
            var c = new RewardCase(shaping);
            var coverage = CoverageDistributions.Uniform(c.Mdp.StateCount, c.Mdp.ActionCount);
            var redistributed = c.Reward.Plus(c.Redistribution);
            foreach (var canon in new ICanonicalisation[] { new ValCanonicalisation(c.Mdp, Backend), new MinimalCanonicalisation(c.Mdp) })
                worstStarc = Math.Max(worstStarc, new StarcMetric(canon, RewardNorm.L2).Distance(c.Reward, redistributed) * (1 - c.Mdp.Discount));
            worstEpic = Math.Max(worstEpic, TryDistance(new PearsonDistance(new EpicCanonicalisation(c.Mdp, coverage), coverage), c.Reward, redistributed));
            worstDard = Math.Max(worstDard, TryDistance(new PearsonDistance(new DardCanonicalisation(c.Mdp, coverage), coverage), c.Reward, redistributed));
        }
        Assert.InRange(worstStarc, 0, 1e-10);
        Assert.True(worstEpic > 0.05, $"EPIC moved at most {worstEpic} under S'-redistribution");
        Assert.True(worstDard > 0.05, $"DARD moved at most {worstDard} under S'-redistribution");
    }

    [Fact]
    public void Epic_RewardsOfImpossibleTransitions_MoveItWhileStarcStaysAtZero()
    {
        // Two states, one action, state 0 always moves to state 1; R(0,a,0) is a reward of an impossible transition.
        var mdp = RewardCase.TwoStatesOneAction([0.0, 1.0, 0.5, 0.5]);
        var reward = TransitionReward.Create(2, 1, (s, _, next) => s - next + 0.25 * s * next);
        var changed = TransitionReward.Create(2, 1, (s, _, next) => s == 0 && next == 0 ? 5 : reward[s, 0, next]);
        var coverage = CoverageDistributions.Uniform(2, 1);
        Assert.True(new PearsonDistance(new EpicCanonicalisation(mdp, coverage), coverage).Distance(reward, changed) > 0.1);
        Assert.Equal(0.0, new StarcMetric(new ValCanonicalisation(mdp, Backend), RewardNorm.L2).Distance(reward, changed), 12);
        Assert.Equal(0.0, new StarcMetric(new MinimalCanonicalisation(mdp), RewardNorm.L2).Distance(reward, changed), 12);
    }

    private static double TryDistance(PearsonDistance metric, TransitionReward first, TransitionReward second)
    {
        try
        {
            return metric.Distance(first, second);
        }
        catch (ArgumentException)
        {
            // A canonical form of zero variance has no correlation (e.g. a constant reward); such draws say nothing here.
            return 0;
        }
    }
}
