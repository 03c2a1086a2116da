using System.Runtime.Intrinsics;
using TabularRL.Kernels.Rows;

namespace TabularRL.Tests.Kernels;

/// <summary>The vectorised logarithm of the soft and KL sweeps against Math.Log.</summary>
public sealed class VectorLogTests
{
    [Fact]
    public void Log_OnPositiveArguments_IsWithinOneUlpOfMathLog()
    {
        var random = new Random(20261122);
        long worst = 0;
        double worstAt = 0;
        var x = new double[8];
        for (int trial = 0; trial < 1 << 15; trial++)
        {
            // Lanes 0-3 in [1, 8] (the sums of a soft backup over a few actions), 4-5 near 1 (where log is small and
            // relative error shows), 6-7 anywhere over the positive doubles, subnormals included.
            for (int i = 0; i < 4; i++) x[i] = 1 + 7 * random.NextDouble();
            for (int i = 4; i < 6; i++) x[i] = 1 + (random.NextDouble() - 0.5) * Math.Pow(2, -random.Next(1, 50));
            for (int i = 6; i < 8; i++) x[i] = BitConverter.Int64BitsToDouble(random.NextInt64(1, 0x7FF0_0000_0000_0000L));
            var log = VectorLog.Log(Vector512.Create(x));
            for (int i = 0; i < 8; i++)
            {
                long ulps = Math.Abs(BitConverter.DoubleToInt64Bits(log[i]) - BitConverter.DoubleToInt64Bits(Math.Log(x[i])));
                if (ulps > worst) (worst, worstAt) = (ulps, x[i]);
            }
        }
        Assert.True(worst <= 1, $"{worst} ulps at x = {worstAt:R}");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(0.5)]
    [InlineData(4.9406564584124654e-324)]
    [InlineData(2.2250738585072009e-308)]
    [InlineData(double.MaxValue)]
    [InlineData(0.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Log_AtSpecialArguments_MatchesMathLog(double x)
    {
        double log = VectorLog.Log(Vector512.Create(x))[0], expected = Math.Log(x);
        // NaN payloads and signs differ between implementations; any NaN will do.
        if (double.IsNaN(expected)) Assert.True(double.IsNaN(log), $"log({x:R}) = {log:R}, expected NaN");
        else Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(log));
    }
}
