namespace TabularRL.Theory.Experiments;

/// <summary>One point of a rate experiment: the mean of a quantity over replicates at one value of the varied size.</summary>
/// <param name="X">The size varied (n, N_E, ...).</param>
/// <param name="Mean">Mean of the quantity over the replicates.</param>
/// <param name="StandardError">Standard error of <paramref name="Mean"/> (sample standard deviation / sqrt(replicates)).</param>
/// <param name="Replicates">How many independent replicates the mean is over.</param>
public sealed record RatePoint(double X, double Mean, double StandardError, int Replicates)
{
    /// <summary>The point of <paramref name="x"/> from its replicate values.</summary>
    public static RatePoint Of(double x, IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException($"no replicates at x = {x}", nameof(values));
        double mean = values.Average();
        double variance = values.Count > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) : 0;
        return new RatePoint(x, mean, Math.Sqrt(variance / values.Count), values.Count);
    }
}
