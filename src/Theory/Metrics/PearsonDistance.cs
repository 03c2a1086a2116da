using TabularRL.Engine.Solvers;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Metrics;

/// <summary>
/// EPIC's and DARD's distance (THEORY.md section 3): sqrt((1 - rho) / 2), rho the Pearson correlation of the two
/// canonical rewards over all (s,a,s') weighted by the coverage distribution D(s,a,s') = D_S(s) D_A(a) D_S(s').
/// </summary>
/// <remarks>
/// rho is clipped to [-1, 1] against rounding. The distance equals n(z1 - z2) / 2 for the D-weighted L2 norm and the
/// standardised canonical rewards z = (C - E_D C) / sd_D(C), so it is an L2 metric. A canonical reward of zero
/// variance under D (a reward EPIC or DARD maps to a constant) has no correlation; that is reported as an error
/// rather than given a value.
/// </remarks>
public sealed class PearsonDistance : IRewardMetric
{
    private readonly double[] _weights;

    /// <summary>The distance for <paramref name="canonicalisation"/> with triple weights from <paramref name="coverage"/>.</summary>
    public PearsonDistance(ICanonicalisation canonicalisation, CoverageDistributions coverage)
    {
        Canonicalisation = canonicalisation;
        _weights = coverage.TripleWeights();
    }

    /// <summary>C.</summary>
    public ICanonicalisation Canonicalisation { get; }

    /// <inheritdoc/>
    public string Name => Canonicalisation.Name;

    /// <inheritdoc/>
    public double Distance(TransitionReward first, TransitionReward second)
    {
        var x = Canonicalisation.Apply(first).Values;
        var y = Canonicalisation.Apply(second).Values;
        double meanX = 0, meanY = 0;
        for (int i = 0; i < x.Length; i++)
        {
            meanX += _weights[i] * x[i];
            meanY += _weights[i] * y[i];
        }
        double varX = 0, varY = 0, cov = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            varX += _weights[i] * dx * dx;
            varY += _weights[i] * dy * dy;
            cov += _weights[i] * dx * dy;
        }
        RequireVariance(varX, x, meanX, "first");
        RequireVariance(varY, y, meanY, "second");
        double rho = Math.Clamp(cov / Math.Sqrt(varX * varY), -1, 1);
        return Math.Sqrt((1 - rho) / 2);
    }

    private void RequireVariance(double variance, ReadOnlySpan<double> values, double mean, string which)
    {
        double scale = 0;
        for (int i = 0; i < values.Length; i++) scale = Math.Max(scale, Math.Abs(values[i]));
        if (!double.IsFinite(variance))
            throw new NumericalException($"{Name}: the {which} reward's canonical form has variance {variance} (overflow?)");
        if (Math.Sqrt(variance) <= 1e-12 * Math.Max(scale, Math.Abs(mean)) || variance == 0)
            throw new ArgumentException($"{Name} distance undefined: the {which} reward's canonical form is constant under the coverage distribution (zero variance), so it has no correlation");
    }
}
