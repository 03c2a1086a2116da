using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace TabularRL.Engine.Io;

/// <summary>Reads and writes numpy's <c>.npy</c> format (header versions 1.0, 2.0 and 3.0).</summary>
/// <remarks>
/// Layout: the magic <c>\x93NUMPY</c>, a major and minor version byte, the header length (uint16 for 1.0, uint32
/// otherwise, little-endian), then a Python dict literal such as
/// <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (3, 4), }</c> padded with spaces and a newline, then the
/// raw elements. Files may be hundreds of megabytes, so matching-width data is read straight into the target array
/// and everything else is converted a chunk at a time.
/// </remarks>
public static class NpyFormat
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // Large enough to amortise stream calls, small enough to stay out of the large object heap churn on small files.
    private const int ChunkBytes = 1 << 20;

    // numpy itself refuses headers above 10 000 bytes by default; anything near this cap is a corrupt length field.
    private const int MaxHeaderBytes = 1 << 20;

    private const int HeaderAlignment = 64;

    /// <summary>Reads one array from the current position of <paramref name="stream"/>.</summary>
    /// <param name="stream">The stream, positioned at the magic bytes; it is read sequentially and not closed.</param>
    /// <param name="fileName">The file, as the user gave it, for error messages.</param>
    /// <param name="arrayName">The npz entry being read, for error messages; null for a plain .npy file.</param>
    /// <exception cref="ArrayFileException">The data is not a supported, complete .npy array.</exception>
    public static NdArray Read(Stream stream, string fileName, string? arrayName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = ReadHeader(stream, fileName, arrayName);
        long count;
        try
        {
            count = NdArray.ElementCount(header.Shape);
        }
        catch (ArgumentException e)
        {
            throw new ArrayFileException(fileName, arrayName, e.Message);
        }

        var source = new DataSource(stream, fileName, arrayName, count * header.DType.ItemSize);
        var array = ReadData(source, header.DType, (int)count, header.Shape);
        return header.FortranOrder && header.Shape.Length > 1 ? ToRowMajor(array) : array;
    }

    /// <summary>Writes <paramref name="array"/> in .npy format at the current position of <paramref name="stream"/>.</summary>
    /// <remarks>Float is written as <c>&lt;f8</c>, integers as <c>&lt;i4</c> or <c>&lt;i8</c> (as stored), booleans as
    /// <c>|b1</c> and text as <c>&lt;U{n}</c>; the data starts at a multiple of 64 bytes.</remarks>
    public static void Write(Stream stream, NdArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        var textWidth = array.Texts is { } texts ? MaxUtf32Length(texts) : 0;
        var descr = array.Kind switch
        {
            NdArrayKind.Float => "<f8",
            NdArrayKind.Integer => array.Ints is not null ? "<i4" : "<i8",
            NdArrayKind.Bool => "|b1",
            _ => $"<U{textWidth}",
        };
        stream.Write(BuildHeader(descr, array.Shape));

        if (array.Doubles is { } doubles)
            WriteLittleEndian(stream, doubles.AsSpan());
        else if (array.Longs is { } longs)
            WriteLittleEndian(stream, longs.AsSpan());
        else if (array.Ints is { } ints)
            WriteLittleEndian(stream, ints.AsSpan());
        else if (array.Bools is { } bools)
            WriteBools(stream, bools);
        else
            WriteTexts(stream, array.Texts!, textWidth);
    }

    /// <summary>Reads a whole .npy file.</summary>
    /// <exception cref="ArrayFileException">The file cannot be read or is not a supported .npy array.</exception>
    public static NdArray ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return Read(stream, path, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArrayFileException($"cannot read file '{path}': {e.Message}".ReplaceLineEndings(" "), e);
        }
    }

    /// <summary>Writes a .npy file atomically: a failed write leaves no partial file at <paramref name="path"/>.</summary>
    /// <exception cref="ArrayFileException">The file cannot be written.</exception>
    public static void WriteFile(string path, NdArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        WriteAtomically(path, stream => Write(stream, array));
    }

    /// <summary>
    /// Runs <paramref name="write"/> against a temporary file next to <paramref name="path"/> and moves it into place
    /// only when it succeeded, so readers never see a half-written file and a failure leaves the old file untouched.
    /// </summary>
    /// <exception cref="ArrayFileException">An I/O error occurred; other exceptions from the writer propagate.</exception>
    internal static void WriteAtomically(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        // Same directory so the final move is a rename on one volume, never a copy.
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e)
        {
            TryDelete(temp);
            if (e is IOException or UnauthorizedAccessException)
                throw new ArrayFileException($"cannot write file '{path}': {e.Message}".ReplaceLineEndings(" "), e);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure is the one worth reporting; a stray temp file is only litter.
        }
    }

    // ---- header ---------------------------------------------------------------------------------------------

    private sealed record Header(DType DType, bool FortranOrder, long[] Shape);

    private static Header ReadHeader(Stream stream, string fileName, string? arrayName)
    {
        Span<byte> preamble = stackalloc byte[12];
        var got = ReadUpTo(stream, preamble[..8]);
        if (got < 8 || !preamble[..6].SequenceEqual(Magic))
            throw new ArrayFileException(fileName, arrayName, "not a .npy array (bad magic bytes)");

        var major = preamble[6];
        var minor = preamble[7];
        int lengthBytes = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw new ArrayFileException(fileName, arrayName, $"unsupported .npy format version {major}.{minor}"),
        };
        got = ReadUpTo(stream, preamble.Slice(8, lengthBytes));
        if (got < lengthBytes)
            throw new ArrayFileException(fileName, arrayName, "truncated header (the header length is missing)");

        var headerLength = lengthBytes == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        if (headerLength > MaxHeaderBytes)
            throw new ArrayFileException(fileName, arrayName, $"header length {headerLength} is implausibly large");

        var headerBytes = new byte[headerLength];
        got = ReadUpTo(stream, headerBytes);
        if (got < headerBytes.Length)
            throw new ArrayFileException(fileName, arrayName, $"truncated header (expected {headerLength} bytes, found {got})");

        // Versions 1 and 2 are latin-1; version 3 exists only to allow UTF-8 in structured field names.
        var text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        try
        {
            return ParseHeader(text);
        }
        catch (FormatException e)
        {
            throw new ArrayFileException(fileName, arrayName, $"malformed header: {e.Message}");
        }
        catch (NotSupportedException e)
        {
            throw new ArrayFileException(fileName, arrayName, e.Message);
        }
    }

    private static Header ParseHeader(string text)
    {
        if (PythonLiteral.Parse(text) is not Dictionary<string, object?> dict)
            throw new FormatException("expected a dict literal");

        if (!dict.TryGetValue("descr", out var descrValue))
            throw new FormatException("missing 'descr'");
        if (!dict.TryGetValue("fortran_order", out var fortranValue) || fortranValue is not bool fortran)
            throw new FormatException("missing or non-boolean 'fortran_order'");
        if (!dict.TryGetValue("shape", out var shapeValue) || shapeValue is not List<object?> shapeItems)
            throw new FormatException("missing or non-tuple 'shape'");

        var dtype = descrValue switch
        {
            string descr => DType.Parse(descr),
            List<object?> => throw new NotSupportedException("structured dtypes are not supported"),
            _ => throw new FormatException("'descr' is not a string"),
        };

        var shape = new long[shapeItems.Count];
        for (var i = 0; i < shape.Length; i++)
        {
            if (shapeItems[i] is not long dim || dim < 0)
                throw new FormatException($"shape entry {i} is not a non-negative integer");
            shape[i] = dim;
        }

        return new Header(dtype, fortran, shape);
    }

    private static byte[] BuildHeader(string descr, IReadOnlyList<long> shape)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {NdArray.FormatShape(shape)}, }}";
        // The spec pads with spaces and ends with '\n' so that the data is aligned for memory mapping.
        var version = 1;
        var preambleLength = 10;
        var headerLength = PaddedLength(preambleLength, dict.Length);
        if (headerLength > ushort.MaxValue)
        {
            version = 2;
            preambleLength = 12;
            headerLength = PaddedLength(preambleLength, dict.Length);
        }

        var bytes = new byte[preambleLength + headerLength];
        Magic.CopyTo(bytes, 0);
        bytes[6] = (byte)version;
        bytes[7] = 0;
        if (version == 1)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)headerLength);
        var body = bytes.AsSpan(preambleLength);
        body.Fill((byte)' ');
        Encoding.ASCII.GetBytes(dict, body);
        body[^1] = (byte)'\n';
        return bytes;
    }

    private static int PaddedLength(int preambleLength, int dictLength)
    {
        var unpadded = preambleLength + dictLength + 1;
        return dictLength + 1 + (HeaderAlignment - unpadded % HeaderAlignment) % HeaderAlignment;
    }

    // ---- dtype ----------------------------------------------------------------------------------------------

    private enum TypeCode
    {
        Float,
        Signed,
        Unsigned,
        Bool,
        Unicode,
    }

    /// <summary>A parsed simple dtype: element family, width in bytes and whether the file data is big-endian.</summary>
    private readonly record struct DType(TypeCode Code, int ItemSize, bool BigEndian, string Descr)
    {
        /// <summary>True when the file's byte order differs from this machine's, so direct reads need a swap.</summary>
        public bool NeedsSwap => BigEndian == BitConverter.IsLittleEndian;

        public static DType Parse(string descr)
        {
            var rest = descr.AsSpan();
            var bigEndian = !BitConverter.IsLittleEndian;
            if (rest.Length > 0 && rest[0] is '<' or '>' or '=' or '|')
            {
                bigEndian = rest[0] switch
                {
                    '<' => false,
                    '>' => true,
                    _ => !BitConverter.IsLittleEndian,
                };
                rest = rest[1..];
            }

            if (rest.Length == 0)
                throw new FormatException($"empty dtype '{descr}'");
            var typeChar = rest[0];
            if (typeChar == 'O')
                throw new NotSupportedException("pickled object arrays are not supported");
            if (typeChar == '?' && rest.Length == 1)
                return new DType(TypeCode.Bool, 1, bigEndian, descr);
            if (!int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                throw new NotSupportedException($"unsupported dtype '{descr}'");

            return (typeChar, size) switch
            {
                ('f', 2 or 4 or 8) => new DType(TypeCode.Float, size, bigEndian, descr),
                ('i', 1 or 2 or 4 or 8) => new DType(TypeCode.Signed, size, bigEndian, descr),
                ('u', 1 or 2 or 4 or 8) => new DType(TypeCode.Unsigned, size, bigEndian, descr),
                ('b', 1) => new DType(TypeCode.Bool, 1, bigEndian, descr),
                // Guard the multiply: a width this large would only come from a corrupt header.
                ('U', >= 0 and <= MaxHeaderBytes) => new DType(TypeCode.Unicode, size * 4, bigEndian, descr),
                _ => throw new NotSupportedException($"unsupported dtype '{descr}'"),
            };
        }
    }

    // ---- data -----------------------------------------------------------------------------------------------

    /// <summary>Sequential reader over the data section that reports truncation with expected and found sizes.</summary>
    private sealed class DataSource(Stream stream, string fileName, string? arrayName, long expectedBytes)
    {
        private long _consumed;

        public string FileName => fileName;

        public string? ArrayName => arrayName;

        public void Fill(Span<byte> destination)
        {
            var got = ReadUpTo(stream, destination);
            _consumed += got;
            if (got < destination.Length)
                throw new ArrayFileException(fileName, arrayName, $"truncated data (expected {expectedBytes} bytes, found {_consumed})");
        }

        /// <summary>Reads straight into the target array's memory, chunk by chunk (spans are int-indexed).</summary>
        public void FillDirect<T>(Span<T> destination) where T : unmanaged
        {
            var perChunk = Math.Max(1, ChunkBytes / Marshal.SizeOf<T>());
            for (var start = 0; start < destination.Length; start += perChunk)
                Fill(MemoryMarshal.AsBytes(destination.Slice(start, Math.Min(perChunk, destination.Length - start))));
        }
    }

    private static NdArray ReadData(DataSource source, DType dtype, int count, long[] shape)
    {
        switch (dtype.Code)
        {
            case TypeCode.Float when dtype.ItemSize == 8:
            {
                var data = new double[count];
                source.FillDirect(data.AsSpan());
                if (dtype.NeedsSwap)
                    SwapInPlace(MemoryMarshal.Cast<double, long>(data.AsSpan()));
                return NdArray.FromDoubles(data, shape);
            }
            case TypeCode.Float:
                return NdArray.FromDoubles(ReadConverted<double>(source, dtype, count, ConvertFloats), shape);
            case TypeCode.Signed when dtype.ItemSize == 8:
            {
                var data = new long[count];
                source.FillDirect(data.AsSpan());
                if (dtype.NeedsSwap)
                    SwapInPlace(data.AsSpan());
                return NdArray.FromLongs(data, shape);
            }
            case TypeCode.Signed when dtype.ItemSize == 4:
            {
                var data = new int[count];
                source.FillDirect(data.AsSpan());
                if (dtype.NeedsSwap)
                    BinaryPrimitives.ReverseEndianness(data, data);
                return NdArray.FromInts(data, shape);
            }
            case TypeCode.Signed:
            case TypeCode.Unsigned:
            {
                var data = ReadConverted<long>(source, dtype, count, (src, dst, dt, offset) =>
                {
                    var bad = ConvertIntegers(src, dst, dt);
                    if (bad >= 0)
                        throw new ArrayFileException(source.FileName, source.ArrayName, $"element {offset + bad} does not fit in a signed 64-bit integer");
                });
                return NdArray.FromLongs(data, shape);
            }
            case TypeCode.Bool:
                return NdArray.FromBools(ReadConverted<bool>(source, dtype, count, (src, dst, _, _) =>
                {
                    for (var i = 0; i < src.Length; i++)
                        dst[i] = src[i] != 0;
                }), shape);
            default:
                return NdArray.FromTexts(ReadTexts(source, dtype, count), shape);
        }
    }

    private delegate void ChunkConverter<T>(ReadOnlySpan<byte> source, Span<T> destination, DType dtype, long offset);

    /// <summary>Reads <paramref name="count"/> elements through a byte buffer, converting one chunk at a time.</summary>
    private static T[] ReadConverted<T>(DataSource source, DType dtype, int count, ChunkConverter<T> convert)
    {
        var result = new T[count];
        var perChunk = Math.Max(1, ChunkBytes / dtype.ItemSize);
        var buffer = new byte[Math.Min(perChunk, Math.Max(count, 1)) * dtype.ItemSize];
        for (var start = 0; start < count; start += perChunk)
        {
            var n = Math.Min(perChunk, count - start);
            var bytes = buffer.AsSpan(0, n * dtype.ItemSize);
            source.Fill(bytes);
            convert(bytes, result.AsSpan(start, n), dtype, start);
        }

        return result;
    }

    private static void ConvertFloats(ReadOnlySpan<byte> src, Span<double> dst, DType dtype, long offset)
    {
        if (dtype.ItemSize == 4)
        {
            for (var i = 0; i < dst.Length; i++)
            {
                var s = src.Slice(i * 4, 4);
                dst[i] = dtype.BigEndian ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s);
            }
        }
        else
        {
            for (var i = 0; i < dst.Length; i++)
            {
                var s = src.Slice(i * 2, 2);
                dst[i] = (double)(dtype.BigEndian ? BinaryPrimitives.ReadHalfBigEndian(s) : BinaryPrimitives.ReadHalfLittleEndian(s));
            }
        }
    }

    /// <summary>Widens 1/2/4/8-byte integers to long; returns the first index whose uint64 value overflows, or -1.</summary>
    private static int ConvertIntegers(ReadOnlySpan<byte> src, Span<long> dst, DType dtype)
    {
        var big = dtype.BigEndian;
        var signed = dtype.Code == TypeCode.Signed;
        switch (dtype.ItemSize)
        {
            case 1:
                for (var i = 0; i < dst.Length; i++)
                    dst[i] = signed ? (sbyte)src[i] : src[i];
                return -1;
            case 2:
                for (var i = 0; i < dst.Length; i++)
                {
                    var s = src.Slice(i * 2, 2);
                    dst[i] = signed
                        ? big ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s)
                        : big ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
                }

                return -1;
            case 4:
                for (var i = 0; i < dst.Length; i++)
                {
                    var s = src.Slice(i * 4, 4);
                    dst[i] = signed
                        ? big ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s)
                        : big ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
                }

                return -1;
            default:
                for (var i = 0; i < dst.Length; i++)
                {
                    var s = src.Slice(i * 8, 8);
                    if (signed)
                    {
                        dst[i] = big ? BinaryPrimitives.ReadInt64BigEndian(s) : BinaryPrimitives.ReadInt64LittleEndian(s);
                        continue;
                    }

                    var value = big ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);
                    if (value > long.MaxValue)
                        return i;
                    dst[i] = (long)value;
                }

                return -1;
        }
    }

    private static string[] ReadTexts(DataSource source, DType dtype, int count)
    {
        // Text arrays are labels and metadata, never bulk data, so reading them whole is fine.
        var total = (long)count * dtype.ItemSize;
        if (total > Array.MaxLength)
            throw new ArrayFileException(source.FileName, source.ArrayName, $"text array of {total} bytes is too large");
        var bytes = new byte[total];
        source.Fill(bytes);
        var encoding = dtype.BigEndian ? new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true)
                                       : new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true);
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            var item = bytes.AsSpan(i * dtype.ItemSize, dtype.ItemSize);
            // numpy pads shorter strings with NUL code points; a NUL code point is four zero bytes in either order.
            var chars = item.Length / 4;
            while (chars > 0 && BinaryPrimitives.ReadUInt32LittleEndian(item.Slice((chars - 1) * 4, 4)) == 0)
                chars--;
            try
            {
                result[i] = encoding.GetString(item[..(chars * 4)]);
            }
            catch (DecoderFallbackException)
            {
                throw new ArrayFileException(source.FileName, source.ArrayName, $"element {i} is not valid UTF-32 text");
            }
        }

        return result;
    }

    private static void SwapInPlace(Span<long> data) => BinaryPrimitives.ReverseEndianness(data, data);

    private static int ReadUpTo(Stream stream, Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var n = stream.Read(destination[total..]);
            if (n == 0)
                break;
            total += n;
        }

        return total;
    }

    // ---- fortran order --------------------------------------------------------------------------------------

    private static NdArray ToRowMajor(NdArray array)
    {
        var shape = array.Shape.ToArray();
        return array.Kind switch
        {
            NdArrayKind.Float => NdArray.FromDoubles(ToRowMajor(array.Doubles!, shape), shape),
            NdArrayKind.Integer when array.Ints is not null => NdArray.FromInts(ToRowMajor(array.Ints, shape), shape),
            NdArrayKind.Integer => NdArray.FromLongs(ToRowMajor(array.Longs!, shape), shape),
            NdArrayKind.Bool => NdArray.FromBools(ToRowMajor(array.Bools!, shape), shape),
            _ => NdArray.FromTexts(ToRowMajor(array.Texts!, shape), shape),
        };
    }

    /// <summary>Reorders column-major data to row-major by walking the row-major index like an odometer.</summary>
    private static T[] ToRowMajor<T>(T[] source, long[] shape)
    {
        var result = new T[source.Length];
        if (source.Length == 0)
            return result;

        var rank = shape.Length;
        // In column-major order the first axis is contiguous: stride[k] = shape[0] * ... * shape[k-1].
        var strides = new long[rank];
        long stride = 1;
        for (var k = 0; k < rank; k++)
        {
            strides[k] = stride;
            stride *= shape[k];
        }

        var index = new long[rank];
        long offset = 0;
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = source[offset];
            for (var k = rank - 1; k >= 0; k--)
            {
                if (++index[k] < shape[k])
                {
                    offset += strides[k];
                    break;
                }

                index[k] = 0;
                offset -= strides[k] * (shape[k] - 1);
            }
        }

        return result;
    }

    // ---- writing helpers ------------------------------------------------------------------------------------

    private static void WriteLittleEndian<T>(Stream stream, ReadOnlySpan<T> data) where T : unmanaged
    {
        var perChunk = Math.Max(1, ChunkBytes / Marshal.SizeOf<T>());
        if (BitConverter.IsLittleEndian)
        {
            for (var start = 0; start < data.Length; start += perChunk)
                stream.Write(MemoryMarshal.AsBytes(data.Slice(start, Math.Min(perChunk, data.Length - start))));
            return;
        }

        // Big-endian hosts: swap a copy of each chunk, never the caller's data.
        var buffer = new T[Math.Min(perChunk, data.Length)];
        for (var start = 0; start < data.Length; start += perChunk)
        {
            var n = Math.Min(perChunk, data.Length - start);
            var chunk = buffer.AsSpan(0, n);
            data.Slice(start, n).CopyTo(chunk);
            var bytes = MemoryMarshal.AsBytes(chunk);
            var size = Marshal.SizeOf<T>();
            for (var i = 0; i < bytes.Length; i += size)
                bytes.Slice(i, size).Reverse();
            stream.Write(bytes);
        }
    }

    private static void WriteBools(Stream stream, bool[] data)
    {
        var buffer = new byte[Math.Min(ChunkBytes, data.Length)];
        for (var start = 0; start < data.Length; start += ChunkBytes)
        {
            var n = Math.Min(ChunkBytes, data.Length - start);
            // Normalise to 0/1: a bool produced by unsafe code may hold any non-zero byte.
            for (var i = 0; i < n; i++)
                buffer[i] = data[start + i] ? (byte)1 : (byte)0;
            stream.Write(buffer, 0, n);
        }
    }

    private static void WriteTexts(Stream stream, string[] texts, int width)
    {
        var encoding = new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true);
        var item = new byte[width * 4];
        foreach (var text in texts)
        {
            Array.Clear(item);
            encoding.GetBytes(text, 0, text.Length, item, 0);
            stream.Write(item);
        }
    }

    /// <summary>The widest string in code points; numpy uses at least one character even for empty strings.</summary>
    private static int MaxUtf32Length(string[] texts)
    {
        var width = 1;
        foreach (var text in texts)
            width = Math.Max(width, Encoding.UTF32.GetByteCount(text) / 4);
        return width;
    }

    // ---- header literal -------------------------------------------------------------------------------------

    /// <summary>
    /// Parses the subset of Python literal syntax that .npy headers use: dicts, tuples, lists, quoted strings,
    /// integers (with an optional Python 2 <c>L</c> suffix), <c>True</c>, <c>False</c> and <c>None</c>.
    /// </summary>
    private ref struct PythonLiteral
    {
        private readonly ReadOnlySpan<char> _text;
        private int _pos;

        private PythonLiteral(ReadOnlySpan<char> text)
        {
            _text = text;
            _pos = 0;
        }

        /// <summary>Parses one literal that must fill <paramref name="text"/> apart from surrounding whitespace.</summary>
        /// <exception cref="FormatException">The text is not such a literal.</exception>
        public static object? Parse(string text)
        {
            var parser = new PythonLiteral(text);
            var value = parser.ParseValue();
            parser.SkipWhitespace();
            if (parser._pos != text.Length)
                throw new FormatException($"unexpected '{text[parser._pos]}' at offset {parser._pos}");
            return value;
        }

        private object? ParseValue()
        {
            SkipWhitespace();
            if (_pos >= _text.Length)
                throw new FormatException("unexpected end of header");
            var c = _text[_pos];
            switch (c)
            {
                case '{':
                    return ParseDict();
                case '(':
                    return ParseSequence(')');
                case '[':
                    return ParseSequence(']');
                case '\'' or '"':
                    return ParseString();
            }

            if (c is '-' or '+' || char.IsAsciiDigit(c))
                return ParseInteger();
            if (char.IsAsciiLetter(c))
            {
                var start = _pos;
                while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
                    _pos++;
                var word = _text[start.._pos];
                if (word is "True")
                    return true;
                if (word is "False")
                    return false;
                if (word is "None")
                    return null;
                throw new FormatException($"unexpected name '{word}' at offset {start}");
            }

            throw new FormatException($"unexpected '{c}' at offset {_pos}");
        }

        private Dictionary<string, object?> ParseDict()
        {
            _pos++; // '{'
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (true)
            {
                SkipWhitespace();
                if (TryConsume('}'))
                    return result;
                if (ParseValue() is not string key)
                    throw new FormatException($"dict key before offset {_pos} is not a string");
                SkipWhitespace();
                Expect(':');
                if (!result.TryAdd(key, ParseValue()))
                    throw new FormatException($"duplicate key '{key}'");
                SkipWhitespace();
                if (TryConsume('}'))
                    return result;
                Expect(',');
            }
        }

        private List<object?> ParseSequence(char close)
        {
            _pos++; // '(' or '['
            var result = new List<object?>();
            while (true)
            {
                SkipWhitespace();
                if (TryConsume(close))
                    return result;
                result.Add(ParseValue());
                SkipWhitespace();
                if (TryConsume(close))
                    return result;
                Expect(',');
            }
        }

        private string ParseString()
        {
            var quote = _text[_pos++];
            var builder = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length)
                    throw new FormatException("unterminated string");
                var c = _text[_pos++];
                if (c == quote)
                    return builder.ToString();
                if (c == '\\')
                {
                    if (_pos >= _text.Length)
                        throw new FormatException("unterminated string");
                    var escaped = _text[_pos++];
                    builder.Append(escaped switch
                    {
                        'n' => '\n',
                        't' => '\t',
                        '0' => '\0',
                        _ => escaped,
                    });
                    continue;
                }

                builder.Append(c);
            }
        }

        private long ParseInteger()
        {
            var start = _pos;
            if (_text[_pos] is '-' or '+')
                _pos++;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
                _pos++;
            var digits = _text[start.._pos];
            // Headers written by numpy under Python 2 spell large dimensions as 3L.
            if (_pos < _text.Length && _text[_pos] is 'L' or 'l')
                _pos++;
            if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                throw new FormatException($"bad integer '{digits}' at offset {start}");
            return value;
        }

        private void SkipWhitespace()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
                _pos++;
        }

        private bool TryConsume(char c)
        {
            if (_pos < _text.Length && _text[_pos] == c)
            {
                _pos++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
                throw new FormatException(_pos < _text.Length
                    ? $"expected '{c}' but found '{_text[_pos]}' at offset {_pos}"
                    : $"expected '{c}' but the header ended");
        }
    }
}
