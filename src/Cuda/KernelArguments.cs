namespace TabularRL.Cuda;

/// <summary>The argument values of one launch, in the layout <c>cuLaunchKernel</c> reads: one 8-byte slot per parameter.</summary>
/// <remarks>
/// cuLaunchKernel takes <c>void** kernelParams</c>, one pointer per parameter to a buffer holding the parameter's value,
/// and copies sizeof(parameter) bytes from each. Every slot here is 8 bytes and 8-byte aligned; a 4-byte <c>int</c>
/// occupies the low 4 bytes, which are the first 4 in memory on the little-endian hosts .NET runs CUDA on. Each value
/// is checked against the kernel's <see cref="KernelSignature"/> as it is added, so a call that passes the wrong kind
/// or the wrong number of arguments fails on the host instead of corrupting the launch.
/// </remarks>
internal sealed class KernelArguments
{
    private readonly long[] _slots;
    private int _count;

    public KernelArguments(KernelSignature signature)
    {
        Signature = signature;
        _slots = new long[signature.Parameters.Length];
    }

    public KernelSignature Signature { get; }

    /// <summary>The slots filled so far (for tests).</summary>
    public ReadOnlySpan<long> Slots => _slots.AsSpan(0, _count);

    public KernelArguments Int(int value) => Add(KernelParameter.Int32, (long)(uint)value);

    public KernelArguments Long(long value) => Add(KernelParameter.Int64, value);

    public KernelArguments Double(double value) => Add(KernelParameter.Double, BitConverter.DoubleToInt64Bits(value));

    public KernelArguments Pointer(ulong devicePointer) => Add(KernelParameter.Pointer, unchecked((long)devicePointer));

    /// <summary>Throws unless every parameter has been given.</summary>
    public void EnsureComplete()
    {
        if (_count != _slots.Length)
            throw new InvalidOperationException($"{Signature.Name}: {_count} arguments given, the kernel takes {_slots.Length}");
    }

    /// <summary>Calls <paramref name="launch"/> with the <c>void**</c> array pointing at the pinned slots.</summary>
    public unsafe int WithParameterArray(Func<nint, int> launch)
    {
        EnsureComplete();
        fixed (long* slots = _slots)
        {
            void** pointers = stackalloc void*[Math.Max(_slots.Length, 1)];
            for (int i = 0; i < _slots.Length; i++) pointers[i] = slots + i;
            return launch((nint)pointers);
        }
    }

    private KernelArguments Add(KernelParameter kind, long bits)
    {
        if (_count >= _slots.Length)
            throw new InvalidOperationException($"{Signature.Name}: more than {_slots.Length} arguments");
        if (Signature.Parameters[_count] != kind)
            throw new InvalidOperationException($"{Signature.Name}: argument {_count} is {kind}, the kernel declares {Signature.Parameters[_count]}");
        _slots[_count++] = bits;
        return this;
    }
}
