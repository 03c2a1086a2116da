using TabularRL.Engine.Io;

namespace TabularRL.Tests.Io;

public sealed class NdArrayTests
{
    [Fact]
    public void Scalars_have_rank_zero_and_length_one()
    {
        var scalar = NdArray.Scalar(2.5);
        Assert.Empty(scalar.Shape);
        Assert.Equal(0, scalar.Rank);
        Assert.Equal(1, scalar.Length);
        Assert.Equal(NdArrayKind.Float, scalar.Kind);
        Assert.Equal(NdArrayKind.Integer, NdArray.Scalar(3L).Kind);
        Assert.Equal(NdArrayKind.Bool, NdArray.Scalar(true).Kind);
        Assert.Equal("x", NdArray.Scalar("x").Text);
    }

    [Fact]
    public void Factories_reject_data_that_does_not_match_the_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => NdArray.FromDoubles(new double[5], 2, 3));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Throws<ArgumentException>(() => NdArray.FromInts(new int[1], -1));
        Assert.Throws<ArgumentException>(() => NdArray.FromLongs(new long[2]));
        Assert.Throws<ArgumentException>(() => NdArray.FromBools(new bool[0], long.MaxValue, 4));
    }

    [Fact]
    public void Shape_is_copied_so_the_caller_cannot_change_it()
    {
        long[] shape = [2, 2];
        var array = NdArray.FromLongs(new long[4], shape);
        shape[0] = 4;
        Assert.Equal([2L, 2L], array.Shape);
    }

    [Fact]
    public void Integer_accessors_hide_the_storage_width()
    {
        var ints = NdArray.FromInts([1, -2, 3], 3);
        var longs = NdArray.FromLongs([1, -2, 3], 3);
        Assert.Null(ints.Longs!);
        Assert.Same(ints.Ints, ints.ToInt32Array("ids"));
        Assert.Same(longs.Longs, longs.ToInt64Array());
        foreach (var array in new[] { ints, longs })
        {
            Assert.Equal(-2, array.GetInteger(1));
            Assert.Equal([1, -2, 3], array.ToInt32Array("ids"));
            Assert.Equal([1L, -2, 3], array.ToInt64Array());
            Assert.Equal([1.0, -2, 3], array.ToDoubleArray());
        }
    }

    [Fact]
    public void ToInt32Array_names_key_index_and_value_when_out_of_range()
    {
        var array = NdArray.FromLongs([0, 1, 3_000_000_000], 3);
        var e = Assert.Throws<ArrayFileException>(() => array.ToInt32Array("columns"));
        Assert.Contains("'columns'", e.Message);
        Assert.Contains("element 2", e.Message);
        Assert.Contains("3000000000", e.Message);
    }

    [Fact]
    public void ToInt32Array_accepts_integral_floats_only()
    {
        Assert.Equal([1, 2], NdArray.FromDoubles([1.0, 2.0], 2).ToInt32Array("k"));
        var e = Assert.Throws<ArrayFileException>(() => NdArray.FromDoubles([1.0, 2.5], 2).ToInt32Array("k"));
        Assert.Contains("element 1", e.Message);
        Assert.Contains("2.5", e.Message);
        Assert.Throws<ArrayFileException>(() => NdArray.Scalar("x").ToInt32Array("k"));
    }

    [Fact]
    public void Conversions_of_bools_and_text()
    {
        var bools = NdArray.FromBools([true, false], 2);
        Assert.Equal([1.0, 0.0], bools.ToDoubleArray());
        Assert.Equal([1L, 0L], bools.ToInt64Array());
        Assert.Throws<InvalidOperationException>(() => bools.GetInteger(0));
        Assert.Throws<InvalidOperationException>(() => NdArray.Scalar("x").ToDoubleArray());
        Assert.Throws<InvalidOperationException>(() => NdArray.Scalar(1.5).ToInt64Array());
    }

    [Fact]
    public void Scalar_accessors_accept_compatible_kinds()
    {
        Assert.Equal(3.0, NdArray.Scalar(3L).AsDouble("k"));
        Assert.Equal(1.0, NdArray.Scalar(true).AsDouble("k"));
        Assert.Equal(0.25, NdArray.FromDoubles([0.25], 1, 1).AsDouble("k"));
        Assert.Equal(7, NdArray.Scalar(7.0).AsInt64("k"));
        Assert.Equal(-5, NdArray.FromInts([-5], 1).AsInt64("k"));
        Assert.True(NdArray.Scalar(true).AsBool("k"));
        Assert.True(NdArray.Scalar(1L).AsBool("k"));
        Assert.False(NdArray.FromInts([0], 1).AsBool("k"));
        Assert.Equal("s", NdArray.Scalar("s").AsText("k"));
    }

    [Fact]
    public void Scalar_accessors_reject_arrays_and_incompatible_values_naming_the_key()
    {
        var cases = new Action[]
        {
            () => NdArray.FromDoubles([1, 2], 2).AsDouble("gamma"),
            () => NdArray.Scalar("x").AsDouble("gamma"),
            () => NdArray.Scalar(2.5).AsInt64("gamma"),
            () => NdArray.Scalar(1e19).AsInt64("gamma"),
            () => NdArray.Scalar(double.NaN).AsInt64("gamma"),
            () => NdArray.Scalar(true).AsInt64("gamma"),
            () => NdArray.Scalar(2L).AsBool("gamma"),
            () => NdArray.Scalar(1.0).AsBool("gamma"),
            () => NdArray.FromBools([], 0).AsBool("gamma"),
            () => NdArray.Scalar(1L).AsText("gamma"),
        };
        foreach (var action in cases)
        {
            var e = Assert.Throws<ArrayFileException>(action);
            Assert.Contains("array 'gamma'", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void Exception_message_names_file_and_array()
    {
        var e = new ArrayFileException("m.npz", "transitions_data", "truncated data (expected 8000 bytes, found 4000)");
        Assert.Equal("file 'm.npz', array 'transitions_data': truncated data (expected 8000 bytes, found 4000)", e.Message);
        Assert.Equal("m.npz", e.FileName);
        Assert.Equal("transitions_data", e.ArrayName);
        Assert.Equal("file 'x.npy': bad\nthing".Replace("\n", " "), new ArrayFileException("x.npy", null, "bad\nthing").Message);
    }
}
