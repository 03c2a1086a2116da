using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Theory.Data;
using TabularRL.Theory.DemoReg;

namespace TabularRL.Tests.DemoReg;

/// <summary>Bradley-Terry reward MLE and the RLHF variant.</summary>
public sealed class PreferenceRewardTests
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    // Only per-stage-centred rewards are identified (see PreferenceReward's remarks): centre r_h(s,.) over (s,a) per stage.
    private static double[] Centred(ReadOnlySpan<double> rHSA, int H, int perStage)
    {
        var c = rHSA.ToArray();
        for (int h = 0; h < H; h++)
        {
            double mean = 0;
            for (int i = 0; i < perStage; i++) mean += c[h * perStage + i];
            mean /= perStage;
            for (int i = 0; i < perStage; i++) c[h * perStage + i] -= mean;
        }
        return c;
    }

    [Fact]
    public void Fit_LargeData_RecoversTheRewardDirection()
    {
        var random = new Random(13);
        const int S = 3, A = 2, H = 2;
        // Rewards scaled to [0, 3] so that preferences carry signal; every (h,s,a) is visited by the uniform policy.
        var shape = DemoRegInstances.Model(random, S, A, H, 0.3);
        var mdp = shape.WithExpectedRewards(shape.ExpectedRewards.ToArray().Select(r => 3 * r).ToArray());
        var preferences = PreferenceSampler.Sample(mdp, Policy.Uniform(S, A), Policy.Uniform(S, A), 20000, random);
        // ridge 1e-3 against n = 20000: its bias is negligible, and the Hessian is ill-conditioned in the unidentified
        // per-stage-constant directions (eigenvalue 1e-3 against ~1e3), which the fitter must still converge through.
        var estimate = PreferenceReward.Fit(preferences, H, S, A, 1e-3);
        var truth = Centred(mdp.ExpectedRewards, H, S * A);
        var fitted = Centred(estimate, H, S * A);
        double dot = truth.Zip(fitted, (x, y) => x * y).Sum();
        double cosine = dot / Math.Sqrt(truth.Sum(x => x * x) * fitted.Sum(x => x * x));
        // With 20000 pairs and d = 12 the MLE's error is about sqrt(d/n) ~ 0.03 per coordinate against rewards of order 1.
        Assert.True(cosine > 0.98, $"cosine {cosine}");
        // The ridge keeps the fit in the identified subspace: its own per-stage means are ~0.
        for (int h = 0; h < H; h++) Assert.True(Math.Abs(estimate.Skip(h * S * A).Take(S * A).Sum()) < 1e-6);
    }

    [Fact]
    public void Fit_BadRidge_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PreferenceReward.Fit([], 2, 2, 2, 0));
        Assert.Equal("ridge", e.ParamName);
    }

    [Fact]
    public void Choices_EpisodeOfWrongLength_ThrowsNamingThePair()
    {
        var pair = new Preference(new Trajectory([0, 1], [1]), new Trajectory([0, 1, 0], [1, 0]), true);
        var e = Assert.Throws<ArgumentException>(() => PreferenceReward.Choices([pair], 2, 2, 2));
        Assert.Contains("preference 0 has an episode of 1 stages", e.Message);
    }

    [Fact]
    public void Rlhf_LargeData_SuboptimalityIsSmallAndBelowPlanningOnTheCloneAlone()
    {
        var random = new Random(17);
        const int S = 3, A = 3, H = 3;
        var shape = DemoRegInstances.Model(random, S, A, H, 0.3);
        var mdp = shape.WithExpectedRewards(shape.ExpectedRewards.ToArray().Select(r => 3 * r).ToArray());
        var expert = DemoRegInstances.SoftExpert(mdp, 0.5, Backend);
        var clone = BehaviourCloning.Tabular(TrajectorySampler.Sample(mdp, expert, 200, random), H, S, A);
        var preferences = PreferenceSampler.Sample(mdp, clone, clone, 5000, random);
        var result = RlhfPlanning.Solve(mdp, preferences, clone, 0.05, 1, Backend);
        double cloneGap = DemoRegInstances.OptimalValue(mdp, Backend) - TabularRL.Engine.Solvers.PolicyEvaluation.Evaluate(mdp, clone, Backend).Objective;
        Assert.True(result.Suboptimality >= -1e-9);
        Assert.True(result.Suboptimality < cloneGap, $"RLHF suboptimality {result.Suboptimality} vs pi_BC's {cloneGap}");
        Assert.True(result.Suboptimality < 0.2, $"RLHF suboptimality {result.Suboptimality}");
    }
}
