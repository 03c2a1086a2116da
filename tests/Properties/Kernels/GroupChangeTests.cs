using System.Runtime.Intrinsics;
using TabularRL.Kernels.Rows;
using TabularRL.Kernels.Sweeps;

namespace TabularRL.Tests.Kernels;

/// <summary>The vectorised change of the regularised sweeps against the scalar rule it replaces.</summary>
public sealed class GroupChangeTests
{
    private static readonly double[] Specials = [0.0, -0.0, 1e300, -1e300, double.PositiveInfinity, double.NegativeInfinity, double.NaN];

    [Fact]
    public void Total_OverRandomGroups_EqualsTheScalarRuleBitForBit()
    {
        var random = new Random(20261121);
        for (int trial = 0; trial < 2000; trial++)
        {
            int groups = random.Next(1, 5);
            var change = new GroupChange();
            double expected = 0;
            for (int group = 0; group < groups; group++)
            {
                var updated = new double[8];
                var previous = new double[8];
                for (int lane = 0; lane < 8; lane++)
                {
                    updated[lane] = Draw(random);
                    previous[lane] = Draw(random);
                    expected = PartitionedSweep.Combine(expected, PartitionedSweep.Change(updated[lane], previous[lane]));
                }
                change.Add(Vector512.Create(updated), Vector512.Create(previous));
            }
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(change.Total));
        }
    }

    [Fact]
    public void Total_WithNothingAdded_IsZero() => Assert.Equal(0.0, new GroupChange().Total);

    // Mostly ordinary values; now and then a special one, so that about a third of the trials hit a non-finite lane.
    private static double Draw(Random random)
        => random.Next(40) == 0 ? Specials[random.Next(Specials.Length)] : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 6));
}
