using TabularRL.Engine.Io;

namespace TabularRL.Tests.Io;

/// <summary>A scratch directory that is deleted with everything in it when the test is done.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("tabularrl-io-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Names of everything in the directory, so tests can prove no temp file was left behind.</summary>
    public string[] Entries() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).ToArray()!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leaked temp directory must not fail the test that used it.
        }
    }
}

/// <summary>The storage variants every codec must round-trip (public because theory parameters must be).</summary>
public enum SampleVariant
{
    Float,
    Long,
    Int,
    Bool,
    Text,
}

/// <summary>Sample arrays and comparisons shared by the codec tests.</summary>
internal static class IoSamples
{
    public static readonly long[][] Shapes = [[], [0], [5], [3, 4], [2, 3, 4]];

    /// <summary>Every variant crossed with every shape, as xunit theory data.</summary>
    public static TheoryData<SampleVariant, long[]> AllCases(bool includeText = true)
    {
        var data = new TheoryData<SampleVariant, long[]>();
        foreach (var variant in Enum.GetValues<SampleVariant>())
        {
            if (variant == SampleVariant.Text && !includeText)
                continue;
            foreach (var shape in Shapes)
                data.Add(variant, shape);
        }

        return data;
    }

    // Values chosen to catch formatting and precision slips: fractions, extremes, integral doubles, negative zero.
    private static readonly double[] DoublePool = [0.1, -0.0, 1e300, 5e-324, 3.0, -1e20, 2.5, double.MaxValue, -7.125, 1.0 / 3];
    private static readonly long[] LongPool = [0, -1, long.MaxValue, long.MinValue, 42, 1L << 40];
    private static readonly int[] IntPool = [0, -1, int.MaxValue, int.MinValue, 7];
    private static readonly string[] TextPool = ["a", "", "héllo ✓", "𝄞 clef", "tab\t\"quote\"\\"];

    public static NdArray Make(SampleVariant variant, long[] shape)
    {
        var length = (int)shape.Aggregate(1L, (a, b) => a * b);
        return variant switch
        {
            SampleVariant.Float => NdArray.FromDoubles(Enumerable.Range(0, length).Select(i => i < DoublePool.Length ? DoublePool[i] : DoublePool[i % DoublePool.Length] + i / DoublePool.Length).ToArray(), shape),
            SampleVariant.Long => NdArray.FromLongs(Enumerable.Range(0, length).Select(i => LongPool[i % LongPool.Length] - i / LongPool.Length).ToArray(), shape),
            SampleVariant.Int => NdArray.FromInts(Enumerable.Range(0, length).Select(i => IntPool[i % IntPool.Length] ^ (i / IntPool.Length)).ToArray(), shape),
            SampleVariant.Bool => NdArray.FromBools(Enumerable.Range(0, length).Select(i => i % 3 == 0).ToArray(), shape),
            _ => NdArray.FromTexts(Enumerable.Range(0, length).Select(i => TextPool[i % TextPool.Length] + (i / TextPool.Length)).ToArray(), shape),
        };
    }

    /// <summary>Asserts equal kind, shape and elements (doubles bit for bit, integers regardless of stored width).</summary>
    public static void AssertSame(NdArray expected, NdArray actual)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.Length, actual.Length);
        switch (expected.Kind)
        {
            case NdArrayKind.Float:
                Assert.Equal(expected.Doubles!.Select(BitConverter.DoubleToInt64Bits), actual.Doubles!.Select(BitConverter.DoubleToInt64Bits));
                break;
            case NdArrayKind.Integer:
                Assert.Equal(expected.ToInt64Array(), actual.ToInt64Array());
                break;
            case NdArrayKind.Bool:
                Assert.Equal(expected.Bools, actual.Bools!);
                break;
            default:
                Assert.Equal(expected.Texts, actual.Texts!);
                break;
        }
    }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Io", "Fixtures", name);
}
