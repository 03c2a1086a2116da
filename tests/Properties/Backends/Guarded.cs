using System.Runtime.InteropServices;

namespace TabularRL.Tests.Backends;

/// <summary>
/// An output buffer handed to a backend as a slice of a larger array. Everything starts as <see cref="Poison"/> (or as
/// given initial contents inside the slice): an entry the backend fails to write stays poison and fails the comparison
/// with the oracle, and a write outside the slice shows in <see cref="GuardsIntact"/>.
/// </summary>
internal sealed class Guarded<T> where T : unmanaged
{
    /// <summary>Guard entries on each side: more than one 512-bit vector.</summary>
    public const int Pad = 16;

    private readonly T[] _buffer;
    private readonly T[] _guard;

    public Guarded(int length, T poison)
    {
        _buffer = new T[length + 2 * Pad];
        Array.Fill(_buffer, poison);
        _guard = new T[Pad];
        Array.Fill(_guard, poison);
        Length = length;
    }

    public Guarded(ReadOnlySpan<T> initial, T poison)
        : this(initial.Length, poison)
    {
        initial.CopyTo(Span);
    }

    /// <summary>Entries inside the slice.</summary>
    public int Length { get; }

    /// <summary>The slice handed to the backend.</summary>
    public Memory<T> Memory => _buffer.AsMemory(Pad, Length);

    /// <summary>The slice's contents.</summary>
    public Span<T> Span => _buffer.AsSpan(Pad, Length);

    /// <summary>Whether both guard regions still hold the poison, bit for bit.</summary>
    public bool GuardsIntact()
    {
        var expected = MemoryMarshal.AsBytes(_guard.AsSpan());
        return MemoryMarshal.AsBytes(_buffer.AsSpan(0, Pad)).SequenceEqual(expected)
            && MemoryMarshal.AsBytes(_buffer.AsSpan(Pad + Length, Pad)).SequenceEqual(expected);
    }
}

/// <summary>Poison values for <see cref="Guarded{T}"/>.</summary>
internal static class Poison
{
    /// <summary>A quiet NaN with a recognisable payload, so an unwritten entry shows in a failure's bits.</summary>
    public static readonly double Double = BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF);

    /// <summary>An action index no backend may produce.</summary>
    public const int Action = int.MinValue;

    public static Guarded<double> Doubles(int length) => new(length, Double);

    public static Guarded<double> Doubles(ReadOnlySpan<double> initial) => new(initial, Double);

    public static Guarded<int> Actions(int length) => new(length, Action);
}
