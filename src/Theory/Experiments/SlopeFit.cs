namespace TabularRL.Theory.Experiments;

/// <summary>The slope of log(mean quantity) against log(size), with a bootstrap confidence interval.</summary>
/// <param name="Slope">Least-squares slope of log mean_j on log x_j.</param>
/// <param name="Intercept">Its intercept (so mean ~ e^Intercept x^Slope).</param>
/// <param name="Lower">Lower end of the percentile bootstrap interval.</param>
/// <param name="Upper">Upper end.</param>
/// <param name="Level">Coverage of the interval, e.g. 0.95.</param>
public sealed record SlopeFit(double Slope, double Intercept, double Lower, double Upper, double Level)
{
    /// <summary>
    /// Fits log mean against log x over the points and bootstraps the slope by resampling the replicates at each x
    /// with replacement (the points are independent, so each is resampled on its own).
    /// </summary>
    /// <remarks>
    /// Fitting the log of the means, not the mean of the logs, is what the rates claim (they bound expectations), and it
    /// keeps replicates that are exactly 0, e.g. a suboptimality of a policy that happens to be optimal.
    /// </remarks>
    /// <param name="xs">[m] sizes, positive, at least two distinct.</param>
    /// <param name="replicates">[m] replicate values per size; each mean must be positive.</param>
    /// <param name="random">Generator of the resamples.</param>
    /// <param name="resamples">Bootstrap resamples.</param>
    /// <param name="level">Coverage of the interval.</param>
    /// <exception cref="ArithmeticException">A mean is not positive, so its log is undefined.</exception>
    public static SlopeFit LogLog(IReadOnlyList<double> xs, IReadOnlyList<IReadOnlyList<double>> replicates, Random random, int resamples = 2000, double level = 0.95)
    {
        if (xs.Count != replicates.Count) throw new ArgumentException($"{xs.Count} sizes but {replicates.Count} replicate sets", nameof(replicates));
        if (xs.Distinct().Count() < 2) throw new ArgumentException("a slope needs at least two distinct sizes", nameof(xs));
        var logX = xs.Select(x => x > 0 ? Math.Log(x) : throw new ArgumentOutOfRangeException(nameof(xs), x, "sizes must be positive")).ToArray();
        var logMeans = new double[xs.Count];
        for (int j = 0; j < xs.Count; j++)
        {
            double mean = replicates[j].Average();
            if (!(mean > 0)) throw new ArithmeticException($"the mean at x = {xs[j]} is {mean}; a log-log slope needs positive means");
            logMeans[j] = Math.Log(mean);
        }
        var (slope, intercept) = LeastSquares(logX, logMeans);

        var slopes = new List<double>(resamples);
        var resampled = new double[xs.Count];
        for (int b = 0; b < resamples; b++)
        {
            bool positive = true;
            for (int j = 0; j < xs.Count && positive; j++)
            {
                var values = replicates[j];
                double total = 0;
                for (int k = 0; k < values.Count; k++) total += values[random.Next(values.Count)];
                positive = total > 0;
                resampled[j] = positive ? Math.Log(total / values.Count) : 0;
            }
            if (positive) slopes.Add(LeastSquares(logX, resampled).Slope);
        }
        slopes.Sort();
        double tail = (1 - level) / 2;
        return slopes.Count == 0
            ? new SlopeFit(slope, intercept, double.NegativeInfinity, double.PositiveInfinity, level)
            : new SlopeFit(slope, intercept, Quantile(slopes, tail), Quantile(slopes, 1 - tail), level);
    }

    private static (double Slope, double Intercept) LeastSquares(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double slope = sxy / sxx;
        return (slope, my - slope * mx);
    }

    // Linear interpolation between order statistics.
    private static double Quantile(List<double> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>"-0.52 [-0.61, -0.44]".</summary>
    public override string ToString() => FormattableString.Invariant($"{Slope:0.###} [{Lower:0.###}, {Upper:0.###}]");
}
