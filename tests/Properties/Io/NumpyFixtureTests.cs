using TabularRL.Engine.Io;

namespace TabularRL.Tests.Io;

/// <summary>Reads files written by numpy itself (see Fixtures/make_fixtures.py for the values).</summary>
public sealed class NumpyFixtureTests
{
    private static readonly double[] Grid = Enumerable.Range(0, 12).Select(i => i * 0.5).ToArray();

    [Theory]
    [InlineData("f8.npy")]
    [InlineData("f4.npy")]
    [InlineData("f8_big_endian.npy")]
    public void Float_grids(string name)
    {
        var array = NpyFormat.ReadFile(IoSamples.Fixture(name));
        Assert.Equal(NdArrayKind.Float, array.Kind);
        Assert.Equal([3L, 4], array.Shape);
        Assert.Equal(Grid, array.Doubles!);
    }

    [Theory]
    [InlineData("i4.npy")]
    [InlineData("i4_big_endian.npy")]
    public void Int32_vectors_stay_int32(string name)
    {
        var array = NpyFormat.ReadFile(IoSamples.Fixture(name));
        Assert.Equal([6L], array.Shape);
        Assert.Equal([-3, -2, -1, 0, 1, 2], array.Ints!);
        Assert.Null(array.Longs!);
    }

    [Fact]
    public void Int64_and_unsigned_vectors()
    {
        Assert.Equal([-(1L << 40), -1, 0, 1, 1L << 40], NpyFormat.ReadFile(IoSamples.Fixture("i8.npy")).Longs!);
        Assert.Equal([0L, 1, 255], NpyFormat.ReadFile(IoSamples.Fixture("u1.npy")).Longs!);
        Assert.Equal([0L, long.MaxValue], NpyFormat.ReadFile(IoSamples.Fixture("u8.npy")).Longs!);
    }

    [Fact]
    public void Uint64_beyond_int64_is_an_error()
    {
        var e = Assert.Throws<ArrayFileException>(() => NpyFormat.ReadFile(IoSamples.Fixture("u8_overflow.npy")));
        Assert.Contains("u8_overflow.npy", e.Message);
        Assert.Contains("element 1", e.Message);
    }

    [Fact]
    public void Bools() =>
        Assert.Equal([true, false, true], NpyFormat.ReadFile(IoSamples.Fixture("bool.npy")).Bools!);

    [Fact]
    public void Fortran_ordered_arrays_become_row_major()
    {
        var array = NpyFormat.ReadFile(IoSamples.Fixture("fortran.npy"));
        Assert.Equal([2L, 3, 4], array.Shape);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (double)i), array.Doubles!);

        var ints = NpyFormat.ReadFile(IoSamples.Fixture("fortran_i4.npy"));
        Assert.Equal([0, 1, 2, 3, 4, 5], ints.Ints!);
    }

    [Fact]
    public void Scalars_and_text()
    {
        var scalar = NpyFormat.ReadFile(IoSamples.Fixture("scalar_f8.npy"));
        Assert.Empty(scalar.Shape);
        Assert.Equal(2.5, scalar.AsDouble("x"));
        Assert.Equal("héllo ✓", NpyFormat.ReadFile(IoSamples.Fixture("unicode_scalar.npy")).Text);
    }

    [Fact]
    public void Empty_array()
    {
        var array = NpyFormat.ReadFile(IoSamples.Fixture("empty.npy"));
        Assert.Equal([0L, 3], array.Shape);
        Assert.Equal(0, array.Length);
    }

    [Fact]
    public void Object_arrays_are_refused()
    {
        var e = Assert.Throws<ArrayFileException>(() => NpyFormat.ReadFile(IoSamples.Fixture("object.npy")));
        Assert.Contains("object.npy", e.Message);
        Assert.Contains("pickled object arrays are not supported", e.Message);
    }

    [Fact]
    public void Savez_archive()
    {
        var arrays = NpzArchive.Read(IoSamples.Fixture("savez.zip"));
        Assert.Equal(["flag", "gamma", "grid", "ids"], arrays.Keys.Order());
        Assert.Equal(Grid, arrays["grid"].Doubles!);
        Assert.Equal([0, 1, 2, 3, 4], arrays["ids"].Ints!);
        Assert.True(arrays["flag"].AsBool("flag"));
        Assert.Equal(0.9, arrays["gamma"].AsDouble("gamma"));
    }

    [Fact]
    public void Savez_compressed_archive()
    {
        var arrays = NpzArchive.Read(IoSamples.Fixture("savez_compressed.zip"));
        Assert.Equal(["grid", "ids", "name"], arrays.Keys.Order());
        Assert.Equal(Grid, arrays["grid"].Doubles!);
        Assert.Equal([0L, 1, 2, 3, 4], arrays["ids"].Longs!);
        Assert.Equal("mdp", arrays["name"].AsText("name"));
    }
}
