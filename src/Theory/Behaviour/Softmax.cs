namespace TabularRL.Theory.Behaviour;

/// <summary>Row-wise softmax exp(scale x) / sum, with the row maximum subtracted so that no exponential overflows.</summary>
internal static class Softmax
{
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
