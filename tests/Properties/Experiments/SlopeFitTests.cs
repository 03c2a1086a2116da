using TabularRL.Theory.Experiments;

namespace TabularRL.Tests.Experiments;

/// <summary>The log-log slope and its bootstrap interval.</summary>
public sealed class SlopeFitTests
{
    [Theory]
    [InlineData(-0.5)]
    [InlineData(-1.0)]
    [InlineData(0.3)]
    public void LogLog_ExactPowerLaw_GivesItsExponentWithAZeroWidthInterval(double exponent)
    {
        double[] xs = [10, 20, 40, 80];
        var replicates = xs.Select(x => (IReadOnlyList<double>)[3 * Math.Pow(x, exponent), 3 * Math.Pow(x, exponent)]).ToList();
        var fit = SlopeFit.LogLog(xs, replicates, new Random(1), resamples: 200);
        Assert.Equal(exponent, fit.Slope, 12);
        Assert.Equal(Math.Log(3), fit.Intercept, 12);
        Assert.Equal(exponent, fit.Lower, 12);
        Assert.Equal(exponent, fit.Upper, 12);
    }

    [Fact]
    public void LogLog_NoisyPowerLaw_IntervalCoversTheExponentAndNarrowsWithReplicates()
    {
        var random = new Random(2);
        double[] xs = [10, 20, 40, 80, 160];
        List<IReadOnlyList<double>> Draw(int count) => xs.Select(x => (IReadOnlyList<double>)Enumerable.Range(0, count)
            .Select(_ => Math.Pow(x, -0.5) * (0.5 + random.NextDouble())).ToList()).ToList();
        var few = SlopeFit.LogLog(xs, Draw(10), random);
        var many = SlopeFit.LogLog(xs, Draw(1000), random);
        Assert.InRange(-0.5, many.Lower, many.Upper);
        Assert.True(many.Upper - many.Lower < few.Upper - few.Lower, $"{many} is not narrower than {few}");
        Assert.True(few.Lower <= few.Slope && few.Slope <= few.Upper, few.ToString());
    }

    [Fact]
    public void LogLog_ZeroMean_IsAnArithmeticErrorNamingTheSize()
    {
        var error = Assert.Throws<ArithmeticException>(() => SlopeFit.LogLog([1, 2], [[0.0, 0.0], [1.0]], new Random(1)));
        Assert.Contains("x = 1", error.Message);
    }

    [Fact]
    public void RatePoint_Of_GivesMeanAndStandardError()
    {
        var point = RatePoint.Of(5, [1.0, 2, 3, 4]);
        Assert.Equal(2.5, point.Mean, 14);
        Assert.Equal(Math.Sqrt(5.0 / 3 / 4), point.StandardError, 14);
        Assert.Equal(4, point.Replicates);
    }
}
