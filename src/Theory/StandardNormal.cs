namespace TabularRL.Theory;

/// <summary>Standard normal draws from a <see cref="Random"/> (Box-Muller), for the random instances and searches.</summary>
internal static class StandardNormal
{
    public static double Draw(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
