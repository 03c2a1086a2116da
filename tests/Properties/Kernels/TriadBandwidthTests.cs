using TabularRL.Kernels.Measurement;

namespace TabularRL.Tests.Kernels;

/// <summary>The triad measurement's bookkeeping: thread counts, sizes, argument checks. Its speed is not a test's business.</summary>
public sealed class TriadBandwidthTests
{
    [Theory]
    [InlineData(1L, 1)]
    [InlineData(17L, 3)]
    [InlineData(1000L, 2)]
    [InlineData(4099L, 5)]
    public void Measure_AnyLengthAndThreadCount_ReportsPositiveFiniteBandwidth(long elements, int threads)
    {
        var r = TriadBandwidth.Measure(elements, threads, repetitions: 3);
        Assert.Equal(elements, r.ElementsPerArray);
        Assert.Equal(3, r.Repetitions);
        // Slices are whole cache lines of 8 doubles, so short arrays get fewer threads than asked for.
        Assert.Equal(Math.Min(threads, (elements + 7) / 8), r.Threads);
        Assert.True(double.IsFinite(r.BestGBps) && r.BestGBps > 0, $"best {r.BestGBps}");
        Assert.True(r.MedianGBps > 0 && r.MedianGBps <= r.BestGBps, $"median {r.MedianGBps}, best {r.BestGBps}");
        Assert.True(r.BestMilliseconds > 0 && r.BestMilliseconds <= r.MedianMilliseconds);
        Assert.Equal(24 * elements, r.BytesPerRepetition);
    }

    [Fact]
    public void Measure_ZeroThreads_UsesEveryProcessor()
        => Assert.Equal(Environment.ProcessorCount, TriadBandwidth.Measure(1 << 12, threads: 0, repetitions: 1).Threads);

    [Fact]
    public void ElementsForMegabytes_DefaultSize_IsTwoToThe24()
        => Assert.Equal(TriadBandwidth.DefaultElementsPerArray, TriadBandwidth.ElementsForMegabytes(384));

    [Theory]
    [InlineData(0L, 1, 1, "elementsPerArray")]
    [InlineData(8L, -1, 1, "threads")]
    [InlineData(8L, 1, 0, "repetitions")]
    public void Measure_OutOfRangeArgument_ThrowsNamingIt(long elements, int threads, int repetitions, string name)
        => Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => TriadBandwidth.Measure(elements, threads, repetitions)).ParamName);

    [Fact]
    public void ElementsForMegabytes_Zero_Throws()
        => Assert.Equal("megabytes", Assert.Throws<ArgumentOutOfRangeException>(() => TriadBandwidth.ElementsForMegabytes(0)).ParamName);
}
