using System.Globalization;

namespace TabularRL.Engine.Io;

/// <summary>The element family of an <see cref="NdArray"/>, which decides which storage array is populated.</summary>
public enum NdArrayKind
{
    /// <summary>Floating point, stored as <see cref="NdArray.Doubles"/>.</summary>
    Float,

    /// <summary>Signed or unsigned integers, stored as <see cref="NdArray.Ints"/> or <see cref="NdArray.Longs"/>.</summary>
    Integer,

    /// <summary>Booleans, stored as <see cref="NdArray.Bools"/>.</summary>
    Bool,

    /// <summary>Unicode strings, stored as <see cref="NdArray.Texts"/>.</summary>
    Text,
}

/// <summary>An n-dimensional row-major (C order) array as read from or written to an array file.</summary>
/// <remarks>
/// Exactly one storage property is non-null, chosen by <see cref="Kind"/>. Integers are kept as <c>int[]</c> when the
/// file held 32-bit integers (index arrays of large models would otherwise double in size) and as <c>long[]</c>
/// otherwise; <see cref="GetInteger"/>, <see cref="ToInt32Array"/> and <see cref="ToInt64Array"/> hide the difference.
/// The factories take ownership of the arrays they are given: nothing is copied.
/// </remarks>
public sealed class NdArray
{
    private readonly long[] _shape;

    private NdArray(NdArrayKind kind, long[] shape, long length)
    {
        Kind = kind;
        _shape = shape;
        Length = length;
    }

    /// <summary>The extent of each dimension; empty for a 0-d scalar.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>The number of elements: the product of <see cref="Shape"/>, 1 for a scalar.</summary>
    public long Length { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The element family, which decides the populated storage property.</summary>
    public NdArrayKind Kind { get; }

    /// <summary>The elements of a <see cref="NdArrayKind.Float"/> array (float32 files are widened).</summary>
    public double[]? Doubles { get; private init; }

    /// <summary>The elements of an <see cref="NdArrayKind.Integer"/> array unless they are held in <see cref="Ints"/>.</summary>
    public long[]? Longs { get; private init; }

    /// <summary>The elements of an <see cref="NdArrayKind.Integer"/> array that was stored as int32.</summary>
    public int[]? Ints { get; private init; }

    /// <summary>The elements of a <see cref="NdArrayKind.Bool"/> array.</summary>
    public bool[]? Bools { get; private init; }

    /// <summary>The elements of a <see cref="NdArrayKind.Text"/> array.</summary>
    public string[]? Texts { get; private init; }

    /// <summary>The single string of a scalar or one-element <see cref="NdArrayKind.Text"/> array, otherwise null.</summary>
    public string? Text => Texts is { Length: 1 } texts ? texts[0] : null;

    /// <summary>Wraps float data of the given shape (no shape means a 0-d scalar).</summary>
    public static NdArray FromDoubles(double[] data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new NdArray(NdArrayKind.Float, CheckedShape(shape, data.Length), data.Length) { Doubles = data };
    }

    /// <summary>Wraps 64-bit integer data of the given shape (no shape means a 0-d scalar).</summary>
    public static NdArray FromLongs(long[] data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new NdArray(NdArrayKind.Integer, CheckedShape(shape, data.Length), data.Length) { Longs = data };
    }

    /// <summary>Wraps 32-bit integer data of the given shape (no shape means a 0-d scalar).</summary>
    public static NdArray FromInts(int[] data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new NdArray(NdArrayKind.Integer, CheckedShape(shape, data.Length), data.Length) { Ints = data };
    }

    /// <summary>Wraps boolean data of the given shape (no shape means a 0-d scalar).</summary>
    public static NdArray FromBools(bool[] data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new NdArray(NdArrayKind.Bool, CheckedShape(shape, data.Length), data.Length) { Bools = data };
    }

    /// <summary>Wraps string data of the given shape (no shape means a 0-d scalar).</summary>
    public static NdArray FromTexts(string[] data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Array.IndexOf(data, null) is var nullAt and >= 0)
            throw new ArgumentException($"element {nullAt} is null", nameof(data));
        return new NdArray(NdArrayKind.Text, CheckedShape(shape, data.Length), data.Length) { Texts = data };
    }

    /// <summary>A 0-d float array.</summary>
    public static NdArray Scalar(double value) => FromDoubles([value]);

    /// <summary>A 0-d integer array.</summary>
    public static NdArray Scalar(long value) => FromLongs([value]);

    /// <summary>A 0-d boolean array.</summary>
    public static NdArray Scalar(bool value) => FromBools([value]);

    /// <summary>A 0-d text array.</summary>
    public static NdArray Scalar(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return FromTexts([value]);
    }

    /// <summary>Element <paramref name="i"/> (flat, row-major) of an integer array, whichever width it is stored in.</summary>
    /// <exception cref="InvalidOperationException">The array is not of kind <see cref="NdArrayKind.Integer"/>.</exception>
    public long GetInteger(long i)
    {
        if (Ints is not null)
            return Ints[i];
        if (Longs is not null)
            return Longs[i];
        throw new InvalidOperationException($"a {KindName} array has no integer elements");
    }

    /// <summary>The elements as int32, for index arrays; returns the stored array itself when it already is int32.</summary>
    /// <param name="keyForErrors">The array's name, used in the error message.</param>
    /// <exception cref="ArrayFileException">
    /// The array is not numeric, or an element is not an integer in the int32 range (the message names the key,
    /// the flat index and the value).
    /// </exception>
    public int[] ToInt32Array(string keyForErrors)
    {
        if (Ints is not null)
            return Ints;
        if (Longs is { } longs)
        {
            var result = new int[longs.Length];
            for (var i = 0; i < longs.Length; i++)
            {
                var value = longs[i];
                if (value is < int.MinValue or > int.MaxValue)
                    throw new ArrayFileException(null, keyForErrors, $"element {i} has value {value}, outside the int32 range");
                result[i] = (int)value;
            }

            return result;
        }

        if (Doubles is { } doubles)
        {
            // Hand-written JSON sometimes spells indices as 3.0; accept them as long as nothing is lost.
            var result = new int[doubles.Length];
            for (var i = 0; i < doubles.Length; i++)
            {
                var value = doubles[i];
                if (!(value >= int.MinValue && value <= int.MaxValue) || Math.Floor(value) != value)
                    throw new ArrayFileException(null, keyForErrors, $"element {i} has value {Format(value)}, not an int32 integer");
                result[i] = (int)value;
            }

            return result;
        }

        throw new ArrayFileException(null, keyForErrors, $"expected an integer array, found a {KindName} array");
    }

    /// <summary>The elements as int64; returns the stored array itself when it already is int64.</summary>
    /// <exception cref="InvalidOperationException">The array is neither integer nor boolean.</exception>
    public long[] ToInt64Array()
    {
        if (Longs is not null)
            return Longs;
        if (Ints is { } ints)
            return Array.ConvertAll(ints, v => (long)v);
        if (Bools is { } bools)
            return Array.ConvertAll(bools, v => v ? 1L : 0L);
        throw new InvalidOperationException($"a {KindName} array cannot be converted to int64");
    }

    /// <summary>The elements as doubles; returns the stored array itself for a float array.</summary>
    /// <exception cref="InvalidOperationException">The array is a text array.</exception>
    public double[] ToDoubleArray()
    {
        if (Doubles is not null)
            return Doubles;
        if (Longs is { } longs)
            return Array.ConvertAll(longs, v => (double)v);
        if (Ints is { } ints)
            return Array.ConvertAll(ints, v => (double)v);
        if (Bools is { } bools)
            return Array.ConvertAll(bools, v => v ? 1.0 : 0.0);
        throw new InvalidOperationException($"a {KindName} array cannot be converted to double");
    }

    /// <summary>The value of a numeric scalar (0-d or one element); integers and booleans are accepted.</summary>
    /// <param name="key">The array's name, used in the error message.</param>
    /// <exception cref="ArrayFileException">The array is not a single number.</exception>
    public double AsDouble(string key)
    {
        RequireSingle(key, "a number");
        return Kind switch
        {
            NdArrayKind.Float => Doubles![0],
            NdArrayKind.Integer => GetInteger(0),
            NdArrayKind.Bool => Bools![0] ? 1.0 : 0.0,
            _ => throw KindMismatch(key, "a number"),
        };
    }

    /// <summary>The value of an integer scalar (0-d or one element); a float with an integral value is accepted.</summary>
    /// <param name="key">The array's name, used in the error message.</param>
    /// <exception cref="ArrayFileException">The array is not a single integer.</exception>
    public long AsInt64(string key)
    {
        RequireSingle(key, "an integer");
        switch (Kind)
        {
            case NdArrayKind.Integer:
                return GetInteger(0);
            case NdArrayKind.Float:
                var value = Doubles![0];
                // 2^63 itself is representable as a double but not as a long, hence the strict upper bound.
                if (Math.Floor(value) == value && value >= long.MinValue && value < 9223372036854775808.0)
                    return (long)value;
                throw new ArrayFileException(null, key, $"expected an integer, found {Format(value)}");
            default:
                throw KindMismatch(key, "an integer");
        }
    }

    /// <summary>The value of a boolean scalar (0-d or one element); the integers 0 and 1 are accepted.</summary>
    /// <param name="key">The array's name, used in the error message.</param>
    /// <exception cref="ArrayFileException">The array is not a single boolean.</exception>
    public bool AsBool(string key)
    {
        RequireSingle(key, "a boolean");
        switch (Kind)
        {
            case NdArrayKind.Bool:
                return Bools![0];
            case NdArrayKind.Integer:
                var value = GetInteger(0);
                if (value is 0 or 1)
                    return value == 1;
                throw new ArrayFileException(null, key, $"expected a boolean (or 0/1), found {value}");
            default:
                throw KindMismatch(key, "a boolean");
        }
    }

    /// <summary>The value of a text scalar (0-d or one element).</summary>
    /// <param name="key">The array's name, used in the error message.</param>
    /// <exception cref="ArrayFileException">The array is not a single string.</exception>
    public string AsText(string key)
    {
        RequireSingle(key, "a string");
        return Text ?? throw KindMismatch(key, "a string");
    }

    /// <summary>Describes the array's kind and shape, e.g. <c>Float (3, 4)</c>.</summary>
    public override string ToString() => $"{Kind} {FormatShape(_shape)}";

    /// <summary>Formats a shape the way numpy prints it: <c>()</c>, <c>(5,)</c>, <c>(3, 4)</c>.</summary>
    internal static string FormatShape(IReadOnlyList<long> shape) => shape.Count switch
    {
        0 => "()",
        1 => $"({shape[0]},)",
        _ => $"({string.Join(", ", shape)})",
    };

    /// <summary>Validates a shape and returns its element count, which must fit a .NET array.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the product is too large.</exception>
    internal static long ElementCount(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
                throw new ArgumentException($"shape {FormatShape(shape)} has a negative dimension");
            // Checked multiply so an absurd shape from a corrupt header cannot wrap around to a small count.
            try
            {
                count = checked(count * dim);
            }
            catch (OverflowException)
            {
                throw new ArgumentException($"shape {FormatShape(shape)} has too many elements");
            }
        }

        if (count > Array.MaxLength)
            throw new ArgumentException($"shape {FormatShape(shape)} has {count} elements, more than a .NET array can hold");
        return count;
    }

    private string KindName => Kind.ToString().ToLowerInvariant();

    private static long[] CheckedShape(long[]? shape, int dataLength)
    {
        var copy = shape is null ? [] : (long[])shape.Clone();
        var count = ElementCount(copy);
        if (count != dataLength)
            throw new ArgumentException($"shape {FormatShape(copy)} needs {count} elements but the data has {dataLength}");
        return copy;
    }

    private void RequireSingle(string key, string what)
    {
        if (Length != 1)
            throw new ArrayFileException(null, key, $"expected {what}, found an array of shape {FormatShape(_shape)}");
    }

    private ArrayFileException KindMismatch(string key, string what) =>
        new(null, key, $"expected {what}, found a {KindName} value");

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
