using System.Buffers.Binary;
using System.Text;
using TabularRL.Engine.Io;

namespace TabularRL.Tests.Io;

public sealed class NpyFormatTests
{
    public static TheoryData<SampleVariant, long[]> Cases => IoSamples.AllCases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stream_round_trip_preserves_kind_shape_and_values(SampleVariant variant, long[] shape)
    {
        var array = IoSamples.Make(variant, shape);
        var bytes = ToBytes(array);
        var back = NpyFormat.Read(new MemoryStream(bytes), "mem.npy", null);
        IoSamples.AssertSame(array, back);
        // int32 storage survives the trip (it is what keeps big index arrays small).
        Assert.Equal(array.Ints is not null, back.Ints is not null);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Written_header_is_version_1_and_data_is_64_byte_aligned(SampleVariant variant, long[] shape)
    {
        var bytes = ToBytes(IoSamples.Make(variant, shape));
        Assert.Equal(1, bytes[6]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.EndsWith("\n", header);
        Assert.Contains("'fortran_order': False", header);
    }

    [Fact]
    public void Header_uses_numpy_descr_and_shape_spelling()
    {
        Assert.Contains("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }", Header(NdArray.FromDoubles(new double[12], 3, 4)));
        Assert.Contains("'descr': '<i8'", Header(NdArray.Scalar(1L)));
        Assert.Contains("'shape': ()", Header(NdArray.Scalar(1L)));
        Assert.Contains("'descr': '<i4'", Header(NdArray.FromInts([1], 1)));
        Assert.Contains("'shape': (1,)", Header(NdArray.FromInts([1], 1)));
        Assert.Contains("'descr': '|b1'", Header(NdArray.Scalar(true)));
        Assert.Contains("'descr': '<U7'", Header(NdArray.FromTexts(["a", "𝄞abcdef"], 2)));
        Assert.Contains("'descr': '<U1'", Header(NdArray.Scalar("")));
    }

    [Fact]
    public void File_round_trip_leaves_no_temp_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.npy");
        var array = NdArray.FromDoubles([1, 2, 3, 4, 5, 6], 2, 3);
        NpyFormat.WriteFile(path, array);
        NpyFormat.WriteFile(path, array); // overwriting an existing file is fine
        IoSamples.AssertSame(array, NpyFormat.ReadFile(path));
        Assert.Equal(["a.npy"], dir.Entries());
    }

    [Fact]
    public void Large_array_crosses_chunk_boundaries()
    {
        // More than one 1 MiB chunk of each width, so the chunked direct and converting readers both loop.
        var doubles = Enumerable.Range(0, 300_000).Select(i => i * 0.5).ToArray();
        var back = NpyFormat.Read(new MemoryStream(ToBytes(NdArray.FromDoubles(doubles, 1000, 300))), "big.npy", null);
        Assert.Equal(doubles, back.Doubles!);

        var bools = Enumerable.Range(0, 3_000_000).Select(i => i % 7 == 0).ToArray();
        var backBools = NpyFormat.Read(new MemoryStream(ToBytes(NdArray.FromBools(bools, bools.Length))), "big.npy", null);
        Assert.Equal(bools, backBools.Bools!);
    }

    [Theory]
    [InlineData("<f8", 8)]
    [InlineData(">f8", 8)]
    [InlineData("=f8", 8)]
    [InlineData("<f4", 4)]
    [InlineData(">f4", 4)]
    [InlineData("<f2", 2)]
    public void Reads_float_dtypes_in_any_byte_order(string descr, int size)
    {
        double[] values = [0.5, -2, 100.25, 0]; // exact even in half precision
        var data = new byte[values.Length * size];
        var big = descr[0] == '>';
        for (var i = 0; i < values.Length; i++)
        {
            var span = data.AsSpan(i * size, size);
            switch (size)
            {
                case 8 when big: BinaryPrimitives.WriteDoubleBigEndian(span, values[i]); break;
                case 8: BinaryPrimitives.WriteDoubleLittleEndian(span, values[i]); break;
                case 4 when big: BinaryPrimitives.WriteSingleBigEndian(span, (float)values[i]); break;
                case 4: BinaryPrimitives.WriteSingleLittleEndian(span, (float)values[i]); break;
                default: BinaryPrimitives.WriteHalfLittleEndian(span, (Half)values[i]); break;
            }
        }

        var array = Read(Npy($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (2, 2), }}", data));
        Assert.Equal(NdArrayKind.Float, array.Kind);
        Assert.Equal([2L, 2L], array.Shape);
        Assert.Equal(values, array.Doubles!);
    }

    [Theory]
    [InlineData("<i8", 8, true)]
    [InlineData(">i8", 8, true)]
    [InlineData("=i8", 8, true)]
    [InlineData("<i4", 4, true)]
    [InlineData(">i4", 4, true)]
    [InlineData("<i2", 2, true)]
    [InlineData(">i2", 2, true)]
    [InlineData("|i1", 1, true)]
    [InlineData("<u8", 8, false)]
    [InlineData(">u8", 8, false)]
    [InlineData("<u4", 4, false)]
    [InlineData("<u2", 2, false)]
    [InlineData("|u1", 1, false)]
    public void Reads_integer_dtypes_in_any_byte_order(string descr, int size, bool signed)
    {
        long[] values = signed ? [-3, 0, 100, -128] : [3, 0, 100, 255];
        var data = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            var bytes = BitConverter.GetBytes(values[i]).AsSpan(0, size).ToArray(); // little-endian host
            if (descr[0] == '>')
                Array.Reverse(bytes);
            bytes.CopyTo(data, i * size);
        }

        var array = Read(Npy($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (4,), }}", data));
        Assert.Equal(NdArrayKind.Integer, array.Kind);
        Assert.Equal(values, array.ToInt64Array());
        Assert.Equal(size == 4 && signed, array.Ints is not null);
    }

    [Fact]
    public void Reads_bools_as_nonzero_bytes()
    {
        var array = Read(Npy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", [1, 0, 2]));
        Assert.Equal([true, false, true], array.Bools!);
    }

    [Fact]
    public void Reads_fortran_order_into_row_major()
    {
        // Column-major 2x3 of [[0, 1, 2], [3, 4, 5]] lists columns first: 0 3 1 4 2 5.
        var data = new byte[6 * 8];
        long[] columnMajor = [0, 3, 1, 4, 2, 5];
        for (var i = 0; i < 6; i++)
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * 8), columnMajor[i]);
        var array = Read(Npy("{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3), }", data));
        Assert.Equal([0L, 1, 2, 3, 4, 5], array.Longs!);
    }

    [Fact]
    public void Reads_unicode_scalar_stripping_trailing_nuls()
    {
        var data = new byte[5 * 4];
        Encoding.UTF32.GetBytes("h𝄞").CopyTo(data, 0);
        var array = Read(Npy("{'descr': '<U5', 'fortran_order': False, 'shape': (), }", data));
        Assert.Equal(NdArrayKind.Text, array.Kind);
        Assert.Equal("h𝄞", array.Text);
    }

    [Fact]
    public void Reads_big_endian_unicode()
    {
        var data = new byte[3 * 4];
        new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetBytes("ok").CopyTo(data, 0);
        Assert.Equal("ok", Read(Npy("{'descr': '>U3', 'fortran_order': False, 'shape': (1,), }", data)).Text);
    }

    [Theory]
    [InlineData("{'descr':'<i8','fortran_order':False,'shape':(2,)}")]
    [InlineData("{ \"descr\" : \"<i8\" , \"fortran_order\" : False , \"shape\" : ( 2 , ) , }")]
    [InlineData("{'shape': (2L,), 'fortran_order': False, 'descr': '<i8'}")]
    [InlineData("{'descr': '<i8',\n 'fortran_order': False,\n 'shape': [2]}")]
    public void Header_parser_tolerates_spacing_order_and_python2_longs(string header)
    {
        var data = new byte[16];
        data[0] = 7;
        data[8] = 9;
        Assert.Equal([7L, 9L], Read(Npy(header, data)).Longs!);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Reads_version_2_and_3_headers(byte major)
    {
        var header = Encoding.UTF8.GetBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n");
        var bytes = new List<byte>([0x93, .."NUMPY"u8, major, 0]);
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length);
        bytes.AddRange(length);
        bytes.AddRange(header);
        bytes.AddRange(BitConverter.GetBytes(1.5));
        Assert.Equal([1.5], Read(bytes.ToArray()).Doubles!);
    }

    [Theory]
    [InlineData("(0,)", 0)]
    [InlineData("(0, 3)", 0)]
    [InlineData("(3, 0)", 0)]
    public void Reads_empty_arrays(string shape, long length)
    {
        var array = Read(Npy($"{{'descr': '<f8', 'fortran_order': True, 'shape': {shape}, }}", []));
        Assert.Equal(length, array.Length);
        Assert.Empty(array.Doubles!);
    }

    [Fact]
    public void Bad_magic_is_reported_with_the_file_name()
    {
        var e = Assert.Throws<ArrayFileException>(() => NpyFormat.Read(new MemoryStream("PK\u0003\u0004 not numpy at all"u8.ToArray()), "weights.npy", null));
        Assert.Equal("file 'weights.npy': not a .npy array (bad magic bytes)", e.Message);
    }

    [Fact]
    public void Empty_stream_is_bad_magic()
    {
        var e = Assert.Throws<ArrayFileException>(() => NpyFormat.Read(new MemoryStream(), "e.npy", "k"));
        Assert.Contains("file 'e.npy', array 'k'", e.Message);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(20)]
    [InlineData(127)]
    public void Truncated_header_is_reported(int keep)
    {
        var bytes = ToBytes(NdArray.FromDoubles([1, 2], 2))[..keep];
        var e = Assert.Throws<ArrayFileException>(() => NpyFormat.Read(new MemoryStream(bytes), "t.npy", "rewards"));
        Assert.StartsWith("file 't.npy', array 'rewards': truncated header", e.Message);
    }

    [Fact]
    public void Truncated_data_reports_expected_and_found_bytes()
    {
        var bytes = ToBytes(NdArray.FromDoubles(new double[12], 3, 4));
        var e = Assert.Throws<ArrayFileException>(() => NpyFormat.Read(new MemoryStream(bytes[..^8]), "m.npz", "transitions_data"));
        Assert.Equal("file 'm.npz', array 'transitions_data': truncated data (expected 96 bytes, found 88)", e.Message);
    }

    [Theory]
    [InlineData(NdArrayKind.Integer)]
    [InlineData(NdArrayKind.Bool)]
    [InlineData(NdArrayKind.Text)]
    public void Truncated_data_is_reported_for_converted_kinds(NdArrayKind kind)
    {
        var array = kind switch
        {
            NdArrayKind.Integer => NdArray.FromInts([1, 2, 3], 3),
            NdArrayKind.Bool => NdArray.FromBools([true, false, true], 3),
            _ => NdArray.FromTexts(["ab", "cd"], 2),
        };
        var e = Assert.Throws<ArrayFileException>(() => NpyFormat.Read(new MemoryStream(ToBytes(array)[..^1]), "x.npy", null));
        Assert.Contains("truncated data", e.Message);
    }

    [Fact]
    public void Object_dtype_is_rejected()
    {
        var e = Assert.Throws<ArrayFileException>(() => Read(Npy("{'descr': '|O', 'fortran_order': False, 'shape': (3,), }", new byte[40])));
        Assert.Contains("pickled object arrays are not supported", e.Message);
    }

    [Theory]
    [InlineData("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", "unsupported dtype '<c16'")]
    [InlineData("{'descr': '|S3', 'fortran_order': False, 'shape': (1,), }", "unsupported dtype '|S3'")]
    [InlineData("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", "structured dtypes are not supported")]
    [InlineData("{'descr': '<f8', 'shape': (1,), }", "malformed header: missing or non-boolean 'fortran_order'")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", "malformed header: shape entry 0")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), ", "malformed header")]
    [InlineData("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,), }", "malformed header: unexpected name 'Maybe'")]
    [InlineData("['descr', '<f8']", "malformed header: expected a dict literal")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } trailing", "malformed header")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (9223372036854775807, 2), }", "too many elements")]
    public void Bad_headers_are_reported(string header, string expected)
    {
        var e = Assert.Throws<ArrayFileException>(() => NpyFormat.Read(new MemoryStream(Npy(header, new byte[16])), "h.npy", null));
        Assert.StartsWith("file 'h.npy': ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Unknown_version_is_reported()
    {
        var bytes = ToBytes(NdArray.Scalar(1.0));
        bytes[6] = 9;
        var e = Assert.Throws<ArrayFileException>(() => Read(bytes));
        Assert.Contains("unsupported .npy format version 9.0", e.Message);
    }

    [Fact]
    public void Missing_file_is_an_array_file_exception()
    {
        var e = Assert.Throws<ArrayFileException>(() => NpyFormat.ReadFile("/nonexistent/dir/x.npy"));
        Assert.StartsWith("cannot read file '/nonexistent/dir/x.npy': ", e.Message);
    }

    internal static byte[] ToBytes(NdArray array)
    {
        var stream = new MemoryStream();
        NpyFormat.Write(stream, array);
        return stream.ToArray();
    }

    /// <summary>Builds a version 1.0 file around a hand-written header, without the alignment padding numpy adds.</summary>
    internal static byte[] Npy(string header, byte[] data)
    {
        var text = Encoding.Latin1.GetBytes(header + "\n");
        var bytes = new byte[10 + text.Length + data.Length];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)text.Length);
        text.CopyTo(bytes, 10);
        data.CopyTo(bytes, 10 + text.Length);
        return bytes;
    }

    private static NdArray Read(byte[] bytes) => NpyFormat.Read(new MemoryStream(bytes), "test.npy", null);

    private static string Header(NdArray array)
    {
        var bytes = ToBytes(array);
        return Encoding.ASCII.GetString(bytes, 10, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)));
    }
}
