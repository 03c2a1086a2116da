using TabularRL.Engine.Model;
using TabularRL.Theory.Data;
using TabularRL.Theory.DemoReg;
using TabularRL.Theory.Estimation;
using TabularRL.Theory.Linear;

namespace TabularRL.Tests.DemoReg;

/// <summary>Behaviour cloning: counts, the +1 smoothing, the log-linear likelihood's gradient and its tabular limit.</summary>
public sealed class BehaviourCloningTests
{
    // H = 2, S = 2, A = 3: three demonstrations written out by hand.
    private static readonly Trajectory[] Demonstrations =
    [
        new([0, 1, 1], [2, 0]),
        new([0, 0, 1], [2, 1]),
        new([1, 1, 0], [0, 0]),
    ];

    [Fact]
    public void Counts_HandExample_CountsEveryStageStateAction()
    {
        var n = BehaviourCloning.Counts(Demonstrations, 2, 2, 3);
        // stage 0: (s0,a2) twice, (s1,a0) once; stage 1: (s1,a0) twice, (s0,a1) once.
        double[] expected = [0, 0, 2, 1, 0, 0, 0, 1, 0, 2, 0, 0];
        Assert.Equal(expected, n);
    }

    [Fact]
    public void Tabular_HandExample_IsCountPlusOneOverVisitsPlusA()
    {
        var pi = BehaviourCloning.Tabular(Demonstrations, 2, 2, 3).Probabilities.ToArray();
        double[] expected =
        [
            1.0 / 5, 1.0 / 5, 3.0 / 5,   // h=0, s=0: N = (0,0,2)
            2.0 / 4, 1.0 / 4, 1.0 / 4,   // h=0, s=1: N = (1,0,0)
            1.0 / 4, 2.0 / 4, 1.0 / 4,   // h=1, s=0: N = (0,1,0)
            3.0 / 5, 1.0 / 5, 1.0 / 5,   // h=1, s=1: N = (2,0,0)
        ];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], pi[i], 15);
    }

    [Fact]
    public void Tabular_NoDemonstrations_IsUniform()
    {
        var pi = BehaviourCloning.Tabular([], 3, 2, 4).Probabilities.ToArray();
        Assert.All(pi, p => Assert.Equal(0.25, p, 15));
    }

    [Fact]
    public void Tabular_WrongLength_ThrowsNamingTheDemonstration()
    {
        var e = Assert.Throws<ArgumentException>(() => BehaviourCloning.Tabular([Demonstrations[0], new([0, 1], [1])], 2, 2, 3));
        Assert.Contains("demonstration 1 has 1 stages, the horizon is 2", e.Message);
        Assert.Equal("demonstrations", e.ParamName);
    }

    [Fact]
    public void Tabular_ActionOutOfRange_ThrowsNamingStageAndAction()
    {
        var e = Assert.Throws<ArgumentException>(() => BehaviourCloning.Tabular(Demonstrations, 2, 2, 2));
        Assert.Contains("demonstration 0 takes action 2 at stage 0", e.Message);
    }

    [Fact]
    public void LogLinear_FeatureShapeWrong_Throws()
    {
        // Demonstrations are over S = 2, A = 3: features over 2 actions cannot clone them; a zero ridge has no maximiser.
        var e = Assert.Throws<ArgumentException>(() => BehaviourCloning.LogLinear(Demonstrations, new FeatureMap(new double[8], 2, 2, 2), 2, 1));
        Assert.Contains("takes action 2 at stage 0, out of range [0, 2)", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BehaviourCloning.LogLinear(Demonstrations, new FeatureMap(new double[12], 2, 3, 2), 2, 0));
    }

    [Fact]
    public void LogLinearLikelihood_Gradient_MatchesCentralDifferences()
    {
        var random = new Random(7);
        const int S = 4, A = 3, d = 5, H = 3;
        // Entries in [-1, 1] / sqrt(d), so that ||phi|| <= 1 as a linear MDP's features.
        var phi = new FeatureMap(Enumerable.Range(0, S * A * d).Select(_ => (random.NextDouble() * 2 - 1) / Math.Sqrt(d)).ToArray(), S, A, d);
        var mdp = DemoRegInstances.Model(random, S, A, H, 0.2);
        var demonstrations = TrajectorySampler.Sample(mdp, Policy.Uniform(S, A), 40, random);
        for (int h = 0; h < H; h++)
        {
            var data = phi.StageChoices(demonstrations, h, A);
            var theta = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();
            var gradient = new double[d];
            MultinomialLogit.Evaluate(data, theta, 0.3, gradient, null);
            const double step = 1e-5;
            for (int k = 0; k < d; k++)
            {
                var plus = (double[])theta.Clone();
                var minus = (double[])theta.Clone();
                plus[k] += step;
                minus[k] -= step;
                double numeric = (MultinomialLogit.Evaluate(data, plus, 0.3, [], null) - MultinomialLogit.Evaluate(data, minus, 0.3, [], null)) / (2 * step);
                // Central differences err by O(step^2 f''') ~ 1e-10 n; rounding adds eps |f| / step ~ 1e-9.
                Assert.True(Math.Abs(numeric - gradient[k]) <= 1e-6 * (1 + Math.Abs(gradient[k])), $"h={h}, k={k}: analytic {gradient[k]}, numeric {numeric}");
            }
        }
    }

    [Fact]
    public void LogLinear_OneHotFeaturesTinyRidge_ApproachesEmpiricalFrequencies()
    {
        // With one-hot features phi(s,a) = e_{s*A+a} the log-linear model is the unrestricted tabular one, so the
        // MLE is the empirical frequency N_h(s,a)/N_h(s) at visited states (the ridge shrinks it by O(ridge)).
        var random = new Random(11);
        const int S = 3, A = 2, H = 2, d = S * A;
        var phi = new double[S * A * d];
        for (int i = 0; i < S * A; i++) phi[i * d + i] = 1;
        var mdp = DemoRegInstances.Model(random, S, A, H, 0.3);
        var behaviour = Policy.FromProbabilities([0.7, 0.3, 0.2, 0.8, 0.5, 0.5], 1, S, A);
        var demonstrations = TrajectorySampler.Sample(mdp, behaviour, 300, random);
        var clone = BehaviourCloning.LogLinear(demonstrations, new FeatureMap(phi, S, A, d), H, 1e-6);
        var n = BehaviourCloning.Counts(demonstrations, H, S, A);
        for (int h = 0; h < H; h++)
            for (int s = 0; s < S; s++)
            {
                double visits = n[(h * S + s) * A] + n[(h * S + s) * A + 1];
                if (visits == 0) continue;
                for (int a = 0; a < A; a++)
                    Assert.Equal(n[(h * S + s) * A + a] / visits, clone.Policy.At(h).Span[s * A + a], 4);
            }
    }
}
