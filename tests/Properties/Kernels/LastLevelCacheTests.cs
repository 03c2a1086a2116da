using TabularRL.Kernels.Measurement;

namespace TabularRL.Tests.Kernels;

/// <summary>The last-level cache size that decides the sweeps' software prefetch: sysfs's size text and the value read.</summary>
public sealed class LastLevelCacheTests
{
    [Theory]
    [InlineData("32768K", 32L << 20)]
    [InlineData("1024K\n", 1L << 20)]
    [InlineData("  48M ", 48L << 20)]
    [InlineData("1G", 1L << 30)]
    [InlineData("512", 512L)]
    [InlineData("8k", 8L << 10)]
    public void ParseSize_SysfsText_GivesBytes(string text, long expected) => Assert.Equal(expected, LastLevelCache.ParseSize(text));

    [Theory]
    [InlineData("")]
    [InlineData("K")]
    [InlineData("0K")]
    [InlineData("-4K")]
    [InlineData("32 K")]
    [InlineData("1.5M")]
    [InlineData("99999999999999999999K")]
    [InlineData("9007199254740993G")]
    public void ParseSize_NotASize_IsNull(string text) => Assert.Null(LastLevelCache.ParseSize(text));

    [Fact]
    public void Bytes_IsAtLeastOneMebibyte() => Assert.InRange(LastLevelCache.Bytes, 1L << 20, 1L << 40);
}
