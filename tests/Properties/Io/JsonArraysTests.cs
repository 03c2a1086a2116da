using TabularRL.Engine.Io;

namespace TabularRL.Tests.Io;

public sealed class JsonArraysTests
{
    public static TheoryData<SampleVariant, long[]> Cases => IoSamples.AllCases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_trip_preserves_kind_shape_and_values(SampleVariant variant, long[] shape)
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.json");
        var array = IoSamples.Make(variant, shape);
        JsonArrays.Write(path, [new("data", array)]);
        var back = JsonArrays.Read(path)["data"];
        if (array.Length == 0)
        {
            // JSON has no dtype for [], so an empty list reads back as float64, like np.array([]).
            Assert.Equal(NdArrayKind.Float, back.Kind);
            Assert.Equal(array.Shape, back.Shape);
            return;
        }

        IoSamples.AssertSame(array, back);
        Assert.Equal(["m.json"], dir.Entries());
    }

    [Fact]
    public void Layout_puts_each_innermost_row_on_one_line()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.json");
        JsonArrays.Write(path,
        [
            new("gamma", NdArray.Scalar(0.9)),
            new("m", NdArray.FromDoubles([0, 0.5, 1, 1.5], 2, 2)),
            new("ids", NdArray.FromInts([1, 2, 3], 3)),
            new("name", NdArray.Scalar("a \"b\" é")),
            new("flag", NdArray.Scalar(false)),
        ]);
        var expected = """
            {
              "gamma": 0.9,
              "m": [
                [0.0, 0.5],
                [1.0, 1.5]
              ],
              "ids": [1, 2, 3],
              "name": "a \"b\" é",
              "flag": false
            }

            """;
        Assert.Equal(expected, File.ReadAllText(path));
    }

    [Fact]
    public void Kind_is_inferred_from_the_raw_number_text()
    {
        var arrays = ReadText("""{"a": [1, 2.0, 3], "b": [1, 2], "c": 1e3, "d": 4, "e": [[true], [false]], "f": "x", "g": [], "h": [[], []], "i": -0.0, "j": 1E-2}""");
        Assert.Equal(NdArrayKind.Float, arrays["a"].Kind);
        Assert.Equal([1.0, 2, 3], arrays["a"].Doubles!);
        Assert.Equal([1L, 2], arrays["b"].Longs!);
        Assert.Equal(1000.0, arrays["c"].AsDouble("c"));
        Assert.Empty(arrays["c"].Shape);
        Assert.Equal(NdArrayKind.Integer, arrays["d"].Kind);
        Assert.Equal([2L, 1], arrays["e"].Shape);
        Assert.Equal([true, false], arrays["e"].Bools!);
        Assert.Equal("x", arrays["f"].Text);
        Assert.Equal([0L], arrays["g"].Shape);
        Assert.Equal(NdArrayKind.Float, arrays["g"].Kind);
        Assert.Equal([2L, 0], arrays["h"].Shape);
        Assert.True(double.IsNegative(arrays["i"].AsDouble("i")));
        Assert.Equal(0.01, arrays["j"].AsDouble("j"));
    }

    [Fact]
    public void Comments_and_empty_object_are_accepted()
    {
        Assert.Empty(ReadText("{ /* nothing */ }"));
        Assert.Equal(3L, ReadText("// models\n{\"n\": 3}")["n"].AsInt64("n"));
    }

    [Theory]
    [InlineData("""{"rewards": [[1, 2, 3, 4], [1, 2, 3, 4], [5, 6, 7, 8], [1, 2, 3]]}""", "array 'rewards[3]': ragged list: expected 4 elements, found 3")]
    [InlineData("""{"rewards": [[1, 2], [3, 4, 5]]}""", "array 'rewards[1]': ragged list: expected 2 elements, found 3")]
    [InlineData("""{"r": [[1], 2]}""", "array 'r[1]': ragged list: expected a list, found a number")]
    [InlineData("""{"r": [1, [2]]}""", "array 'r[1]': ragged list: expected a number, found a list")]
    [InlineData("""{"r": [[[]], [1]]}""", "array 'r[1][0]': ragged list: expected a list, found a number")]
    [InlineData("""{"r": [[], [1]]}""", "array 'r[1]': ragged list: expected 0 elements, found 1")]
    [InlineData("""{"r": [1, true]}""", "array 'r[1]': mixed element types: number and boolean")]
    [InlineData("""{"r": [true, "x"]}""", "array 'r[1]': mixed element types: boolean and string")]
    [InlineData("""{"r": [1, null]}""", "array 'r[1]': null values are not supported")]
    [InlineData("""{"r": null}""", "array 'r': null values are not supported")]
    [InlineData("""{"r": {"x": 1}}""", "array 'r': objects are not supported")]
    [InlineData("""{"r": [[0], [{"x": 1}]]}""", "array 'r[1][0]': objects are not supported")]
    [InlineData("""{"r": [1, NaN]}""", "array 'r[1]': invalid JSON at line 1")]
    [InlineData("""{"r": 1, "q": Infinity}""", "array 'q': invalid JSON at line 1")]
    [InlineData("""{"r": 99999999999999999999}""", "array 'r': integer 99999999999999999999 is outside the int64 range")]
    [InlineData("""{"r": 1e999}""", "array 'r': number 1e999 is outside the double range")]
    [InlineData("""{"r": 1, "r": 2}""", "array 'r': the key appears twice")]
    [InlineData("""[1, 2, 3]""", "the top level must be a JSON object, found a list")]
    [InlineData("""{"r": 1} {}""", "invalid JSON at line 1")]
    [InlineData("""{"r": [1, 2""", "array 'r[1]': invalid JSON")]
    [InlineData("", "the file is empty")]
    [InlineData(" \n ", "the file is empty")]
    public void Malformed_input_is_reported_with_key_and_position(string json, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<ArrayFileException>(() => JsonArrays.Read(path));
        Assert.StartsWith($"file '{path}'", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        var e = Assert.Throws<ArrayFileException>(() => JsonArrays.Read("/nonexistent/m.json"));
        Assert.StartsWith("cannot read file '/nonexistent/m.json': ", e.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_doubles_cannot_be_written_and_leave_no_file(double bad)
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.json");
        var values = new double[12];
        values[6] = bad; // row 1, column 2 of a 3x4 array
        var e = Assert.Throws<ArgumentException>(() => JsonArrays.Write(path,
            [new("ok", NdArray.FromDoubles(new double[100], 100)), new("rewards", NdArray.FromDoubles(values, 3, 4))]));
        Assert.Contains("'rewards'", e.Message);
        Assert.Contains("rewards[1][2]", e.Message);
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void Failed_write_keeps_the_previous_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.json");
        JsonArrays.Write(path, [new("a", NdArray.Scalar(1L))]);
        Assert.Throws<ArgumentException>(() => JsonArrays.Write(path, [new("a", NdArray.Scalar(double.NaN))]));
        Assert.Equal(["m.json"], dir.Entries());
        Assert.Equal(1L, JsonArrays.Read(path)["a"].AsInt64("a"));
    }

    [Fact]
    public void Shapes_that_json_cannot_carry_are_rejected()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => JsonArrays.Write(dir.File("m.json"), [new("q", NdArray.FromDoubles([], 0, 3))]));
        Assert.Contains("'q'", e.Message);
        Assert.Contains("(0, 3)", e.Message);
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void Duplicate_keys_are_rejected_on_write()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentException>(() => JsonArrays.Write(dir.File("m.json"), [new("a", NdArray.Scalar(1L)), new("a", NdArray.Scalar(2L))]));
        Assert.Empty(dir.Entries());
    }

    private static IReadOnlyDictionary<string, NdArray> ReadText(string json)
    {
        using var dir = new TempDirectory();
        var path = dir.File("in.json");
        File.WriteAllText(path, json);
        return JsonArrays.Read(path);
    }
}
