using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Theory.Behaviour;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Claims;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Misspecification;

namespace TabularRL.Tests.Misspecification;

/// <summary>
/// The epsilon-robustness search (THEORY.md section 4) on the cases whose answer section 4 states: a wrong temperature
/// is harmless (robust at any epsilon), a correct model is identifiable up to N (distance 0), and a wrong discount is
/// not robust (the search finds a reward that explains the behaviour yet is far from the truth).
/// </summary>
public sealed class EpsilonRobustnessTests
{
    private static readonly IBellmanBackend Backend = new CpuBackend(1);

    private static (TabularRL.Engine.Model.Mdp Truth, StarcMetric Metric, double[] Transitions) Model(double discount)
    {
        var instances = new ClaimInstances(5, Backend);
        var transitions = instances.Transitions(5, 3);
        var truth = ClaimInstances.Build(5, 3, discount, transitions);
        return (truth, new StarcMetric(new MinimalCanonicalisation(truth), RewardNorm.L2), transitions);
    }

    [Fact]
    public void WrongTemperature_IsRobustAtAnyEpsilon()
    {
        var (truth, metric, _) = Model(0.9);
        var result = EpsilonRobustness.Search(new BoltzmannBehaviour(truth, 0.5, Backend), truth, new BoltzmannBehaviour(truth, 2.0, Backend), metric, 1e-6, samples: 10);
        Assert.True(result.WithinEpsilon, $"worst distance {result.WorstDistance}");
        Assert.InRange(result.PolicyGap, 0, 1e-9);
    }

    [Fact]
    public void SameModel_FindsOnlyEquivalentRewards()
    {
        var (truth, metric, _) = Model(0.9);
        var f = new MaxCausalEntropyBehaviour(truth, 1.0, Backend);
        var result = EpsilonRobustness.Search(f, truth, f, metric, 1e-8, samples: 10);
        Assert.True(result.WithinEpsilon, $"worst distance {result.WorstDistance}");
    }

    [Fact]
    public void WrongDiscount_IsNotRobust()
    {
        var (truth, metric, transitions) = Model(0.9);
        var assumedModel = ClaimInstances.Build(5, 3, 0.6, transitions);
        var result = EpsilonRobustness.Search(new BoltzmannBehaviour(assumedModel, 1.0, Backend), assumedModel, new BoltzmannBehaviour(truth, 1.0, Backend), metric, 0.5, samples: 10);
        Assert.False(result.WithinEpsilon);
        Assert.True(result.WorstDistance > 1.5, $"worst distance only {result.WorstDistance}");
        // The witness explains the true behaviour under the assumed model.
        Assert.InRange(result.PolicyGap, 0, 1e-9);
    }
}
