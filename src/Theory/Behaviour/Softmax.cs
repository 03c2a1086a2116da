namespace TabularRL.Theory.Behaviour;

/// <summary>Row-wise softmax exp(scale x) / sum and log-sum-exp, with the maximum subtracted so that no exponential overflows.</summary>
internal static class Softmax
{
    /// <summary>log sum_i exp x_i, the maximum subtracted first (STYLE.md: log-sum-exp always subtracts the maximum);
    /// negative infinity for an empty or all -inf input, and the non-finite maximum itself when one is +inf or NaN.</summary>
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        double max = double.NegativeInfinity;
        foreach (double value in x) max = Math.Max(max, value);
        if (!double.IsFinite(max)) return max;
        double total = 0;
        foreach (double value in x) total += Math.Exp(value - max);
        return max + Math.Log(total);
    }

    /// <summary>[rows*width] probabilities from [rows*width] scores.</summary>
    public static double[] Rows(ReadOnlySpan<double> scores, int width, double scale)
    {
        var result = new double[scores.Length];
        for (int start = 0; start < scores.Length; start += width)
        {
            var row = scores.Slice(start, width);
            double top = double.NegativeInfinity;
            foreach (double x in row) top = Math.Max(top, x);
            double total = 0;
            for (int a = 0; a < width; a++) total += result[start + a] = Math.Exp(scale * (row[a] - top));
            for (int a = 0; a < width; a++) result[start + a] /= total;
        }
        return result;
    }
}
