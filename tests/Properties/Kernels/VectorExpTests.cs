using System.Runtime.Intrinsics;
using TabularRL.Kernels.Rows;

namespace TabularRL.Tests.Kernels;

/// <summary>The vectorised exp of the soft and KL sweeps against Math.Exp.</summary>
public sealed class VectorExpTests
{
    [Fact]
    public void Exp_OnNonPositiveArguments_IsWithinTwoUlpsOfMathExp()
    {
        var random = new Random(20261121);
        long worst = 0;
        double worstAt = 0;
        var x = new double[8];
        for (int trial = 0; trial < 1 << 15; trial++)
        {
            // Half the lanes near 0 (where the terms of a log-sum-exp matter), half anywhere down to the cut-off.
            for (int i = 0; i < 8; i++) x[i] = i % 2 == 0 ? -random.NextDouble() * 8 : -random.NextDouble() * 708;
            var e = VectorExp.Exp(Vector512.Create(x));
            for (int i = 0; i < 8; i++)
            {
                long ulps = Math.Abs(BitConverter.DoubleToInt64Bits(e[i]) - BitConverter.DoubleToInt64Bits(Math.Exp(x[i])));
                if (ulps > worst) (worst, worstAt) = (ulps, x[i]);
            }
        }
        Assert.True(worst <= 2, $"{worst} ulps at x = {worstAt:R}");
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(-1.0, 0.36787944117144233)]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(-1000.0, 0.0)]
    [InlineData(-708.5, 0.0)]
    public void Exp_AtSpecialArguments_GivesTheExpectedValue(double x, double expected)
    {
        double e = VectorExp.Exp(Vector512.Create(x))[0];
        Assert.True(Math.Abs(e - expected) <= 2 * Math.Max(Math.Abs(expected) * 1.1102230246251565e-16, double.Epsilon), $"exp({x}) = {e:R}, expected {expected:R}");
    }
}
