using System.Runtime.InteropServices;
using TabularRL.Cuda.Native;

namespace TabularRL.Cuda;

/// <summary>One device allocation (cuMemAlloc_v2), freed on disposal; copies are synchronous on the legacy default stream.</summary>
internal sealed unsafe class DeviceBuffer : IDisposable
{
    private DeviceBuffer(ulong pointer, long bytes)
    {
        Pointer = pointer;
        Bytes = bytes;
    }

    /// <summary>The CUdeviceptr.</summary>
    public ulong Pointer { get; private set; }

    /// <summary>Capacity in bytes.</summary>
    public long Bytes { get; }

    /// <summary>Allocates at least <paramref name="bytes"/> bytes (at least 8: cuMemAlloc rejects 0, and empty arrays still need a valid pointer).</summary>
    public static DeviceBuffer Allocate(long bytes)
    {
        long size = Math.Max(bytes, 8);
        ulong pointer;
        CudaCheck.Driver(CudaDriver.MemAlloc(&pointer, (nuint)size), "cuMemAlloc_v2");
        return new DeviceBuffer(pointer, size);
    }

    /// <summary>Reuses <paramref name="buffer"/> when it holds <paramref name="bytes"/>, else replaces it with a larger one.</summary>
    public static DeviceBuffer Ensure(ref DeviceBuffer? buffer, long bytes)
    {
        if (buffer is not null && buffer.Bytes >= bytes) return buffer;
        buffer?.Dispose();
        buffer = Allocate(bytes);
        return buffer;
    }

    /// <summary>Copies <paramref name="source"/> to the start of the buffer.</summary>
    public void Upload<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        long bytes = (long)source.Length * sizeof(T);
        if (bytes == 0) return;
        if (bytes > Bytes) throw new ArgumentException($"{bytes} bytes do not fit a device buffer of {Bytes}", nameof(source));
        fixed (T* p = source) CudaCheck.Driver(CudaDriver.MemcpyHtoD(Pointer, p, (nuint)bytes), "cuMemcpyHtoD_v2");
    }

    /// <summary>Copies the start of the buffer to <paramref name="destination"/>.</summary>
    public void Download<T>(Span<T> destination) where T : unmanaged
    {
        long bytes = (long)destination.Length * sizeof(T);
        if (bytes == 0) return;
        if (bytes > Bytes) throw new ArgumentException($"{bytes} bytes exceed a device buffer of {Bytes}", nameof(destination));
        fixed (T* p = destination) CudaCheck.Driver(CudaDriver.MemcpyDtoH(p, Pointer, (nuint)bytes), "cuMemcpyDtoH_v2");
    }

    /// <summary>Sets the first <paramref name="bytes"/> bytes to <paramref name="value"/>.</summary>
    public void Fill(byte value, long bytes)
    {
        if (bytes == 0) return;
        CudaCheck.Driver(CudaDriver.MemsetD8(Pointer, value, (nuint)bytes), "cuMemsetD8_v2");
    }

    public void Dispose()
    {
        if (Pointer == 0) return;
        // Freeing during shutdown after the context is gone fails harmlessly; disposal must not throw.
        CudaDriver.MemFree(Pointer);
        Pointer = 0;
    }
}
