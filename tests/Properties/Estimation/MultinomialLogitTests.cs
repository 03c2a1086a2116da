using MathNet.Numerics.LinearAlgebra;
using TabularRL.Engine.Solvers;
using TabularRL.Theory.Estimation;

namespace TabularRL.Tests.Estimation;

/// <summary>The ridge multinomial-logit MLE: derivatives against finite differences, the first-order condition, recovery of a known parameter.</summary>
public sealed class MultinomialLogitTests
{
    // n observations of A actions with d features each, choices drawn from softmax(x theta).
    private static ChoiceData Simulate(int n, int A, int d, double[] theta, Random random)
    {
        var features = new double[n * A * d];
        var choices = new int[n];
        var p = new double[A];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < A * d; k++) features[i * A * d + k] = 2 * random.NextDouble() - 1;
            for (int a = 0; a < A; a++)
            {
                p[a] = 0;
                for (int k = 0; k < d; k++) p[a] += features[(i * A + a) * d + k] * theta[k];
            }
            double max = p.Max(), total = 0;
            for (int a = 0; a < A; a++) total += p[a] = Math.Exp(p[a] - max);
            double u = random.NextDouble() * total;
            int chosen = 0;
            while (chosen < A - 1 && (u -= p[chosen]) > 0) chosen++;
            choices[i] = chosen;
        }
        return new ChoiceData(features, choices, A, d);
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.5)]
    [InlineData(3, 2.0)]
    public void Gradient_And_Hessian_MatchCentralDifferences(int seed, double ridge)
    {
        var random = new Random(seed);
        int A = 2 + seed, d = 4;
        var data = Simulate(60, A, d, [1, -2, 0.5, 0], random);
        var theta = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();
        var gradient = new double[d];
        var hessian = Matrix<double>.Build.Dense(d, d);
        MultinomialLogit.Evaluate(data, theta, ridge, gradient, hessian);
        const double h = 1e-5;
        for (int k = 0; k < d; k++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[k] += h;
            minus[k] -= h;
            double numeric = (MultinomialLogit.Evaluate(data, plus, ridge, [], null) - MultinomialLogit.Evaluate(data, minus, ridge, [], null)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[k]) <= 1e-6 * (1 + Math.Abs(numeric)), $"dL/dtheta{k}: analytic {gradient[k]}, numeric {numeric}");
            var gPlus = new double[d];
            var gMinus = new double[d];
            MultinomialLogit.Evaluate(data, plus, ridge, gPlus, null);
            MultinomialLogit.Evaluate(data, minus, ridge, gMinus, null);
            for (int l = 0; l < d; l++)
            {
                double second = (gPlus[l] - gMinus[l]) / (2 * h);
                Assert.True(Math.Abs(second - hessian[l, k]) <= 1e-5 * (1 + Math.Abs(second)), $"H[{l},{k}]: analytic {hessian[l, k]}, numeric {second}");
            }
        }
    }

    [Fact]
    public void Fit_LargeSample_RecoversTheParameterAndZeroesTheGradient()
    {
        double[] truth = [1.5, -1, 0.5];
        var data = Simulate(20000, 3, 3, truth, new Random(4));
        var fit = MultinomialLogit.Fit(data, ridge: 1e-6);
        var gradient = new double[3];
        MultinomialLogit.Evaluate(data, fit.Theta, 1e-6, gradient, null);
        Assert.True(gradient.Max(Math.Abs) <= 1e-10 * (1 + data.Count), $"gradient {string.Join(", ", gradient)}");
        // The MLE is sqrt(n)-consistent: with n = 2e4 and unit-scale features its standard errors are about 0.02.
        for (int k = 0; k < 3; k++)
            Assert.True(Math.Abs(fit.Theta[k] - truth[k]) < 0.1, $"theta{k} = {fit.Theta[k]}, truth {truth[k]}");
    }

    [Fact]
    public void Fit_SeparableDataWithoutRidge_ReportsNonConvergence()
    {
        // The chosen action always has the larger first feature: the likelihood increases without bound along theta_0.
        var features = new double[] { 1, 0, -1, 0, /* obs 2 */ -1, 0, 1, 0 };
        var data = new ChoiceData(features, [0, 1], actionCount: 2, dimension: 2);
        var error = Assert.Throws<NumericalException>(() => MultinomialLogit.Fit(data, ridge: 0, maxIterations: 30));
        Assert.Contains("separable", error.Message);
        Assert.True(MultinomialLogit.Fit(data, ridge: 0.1).Theta[0] > 0);
    }

    [Fact]
    public void ChoiceData_BadChoice_NamesTheObservation()
    {
        var error = Assert.Throws<ArgumentException>(() => new ChoiceData(new double[4], [0, 2], 2, 1));
        Assert.Contains("choice 1 is 2", error.Message);
        Assert.Contains("features have 3", Assert.Throws<ArgumentException>(() => new ChoiceData(new double[3], [0, 1], 2, 1)).Message);
    }
}
