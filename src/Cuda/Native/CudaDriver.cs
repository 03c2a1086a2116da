using System.Runtime.InteropServices;

namespace TabularRL.Cuda.Native;

/// <summary>The entry points of the CUDA driver API (<c>libcuda.so.1</c>, installed with the NVIDIA driver) that the backend uses.</summary>
/// <remarks>
/// Signatures from cuda.h (CUDA 11 and 12). Handles (<c>CUcontext</c>, <c>CUmodule</c>, <c>CUfunction</c>,
/// <c>CUstream</c>) are pointers (<see cref="nint"/>); <c>CUdevice</c> is an <c>int</c>; <c>CUdeviceptr</c> is a
/// 64-bit unsigned integer in the <c>_v2</c> ABI, which is why memory calls bind the <c>_v2</c> symbols (cuda.h maps
/// <c>cuMemAlloc</c> to <c>cuMemAlloc_v2</c> and so on; the unsuffixed symbols are the old 32-bit-pointer ABI).
/// <c>cuDevicePrimaryCtxRelease</c> is likewise <c>cuDevicePrimaryCtxRelease_v2</c> since CUDA 11. Every call returns a
/// <c>CUresult</c>, 0 on success; <see cref="CudaCheck.Driver"/> turns the others into exceptions.
/// NOT VERIFIED ON A GPU: these bindings have only been compiled and checked against cuda.h by reading; no call has
/// reached a driver yet.
/// </remarks>
internal static unsafe partial class CudaDriver
{
    /// <summary>The driver library's soname; loaded by the runtime's default probing (it lives in the loader path wherever the driver is installed).</summary>
    public const string Library = "libcuda.so.1";

    /// <summary>CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT.</summary>
    public const int AttributeMultiprocessorCount = 16;

    /// <summary>CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR.</summary>
    public const int AttributeComputeCapabilityMajor = 75;

    /// <summary>CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR.</summary>
    public const int AttributeComputeCapabilityMinor = 76;

    [LibraryImport(Library, EntryPoint = "cuInit")]
    public static partial int Init(uint flags);

    [LibraryImport(Library, EntryPoint = "cuDriverGetVersion")]
    public static partial int DriverGetVersion(int* version);

    [LibraryImport(Library, EntryPoint = "cuDeviceGetCount")]
    public static partial int DeviceGetCount(int* count);

    [LibraryImport(Library, EntryPoint = "cuDeviceGet")]
    public static partial int DeviceGet(int* device, int ordinal);

    [LibraryImport(Library, EntryPoint = "cuDeviceGetName")]
    public static partial int DeviceGetName(byte* name, int length, int device);

    [LibraryImport(Library, EntryPoint = "cuDeviceGetAttribute")]
    public static partial int DeviceGetAttribute(int* value, int attribute, int device);

    [LibraryImport(Library, EntryPoint = "cuDevicePrimaryCtxRetain")]
    public static partial int DevicePrimaryCtxRetain(nint* context, int device);

    [LibraryImport(Library, EntryPoint = "cuDevicePrimaryCtxRelease_v2")]
    public static partial int DevicePrimaryCtxRelease(int device);

    [LibraryImport(Library, EntryPoint = "cuCtxSetCurrent")]
    public static partial int CtxSetCurrent(nint context);

    [LibraryImport(Library, EntryPoint = "cuCtxSynchronize")]
    public static partial int CtxSynchronize();

    /// <summary>Loads a module from a NUL-terminated PTX image (the driver JIT-compiles it for the current device).</summary>
    [LibraryImport(Library, EntryPoint = "cuModuleLoadData")]
    public static partial int ModuleLoadData(nint* module, byte* image);

    [LibraryImport(Library, EntryPoint = "cuModuleGetFunction")]
    public static partial int ModuleGetFunction(nint* function, nint module, byte* name);

    [LibraryImport(Library, EntryPoint = "cuModuleUnload")]
    public static partial int ModuleUnload(nint module);

    [LibraryImport(Library, EntryPoint = "cuMemAlloc_v2")]
    public static partial int MemAlloc(ulong* pointer, nuint bytes);

    [LibraryImport(Library, EntryPoint = "cuMemFree_v2")]
    public static partial int MemFree(ulong pointer);

    /// <summary>Host to device on the legacy default stream: returns once the source may be reused.</summary>
    [LibraryImport(Library, EntryPoint = "cuMemcpyHtoD_v2")]
    public static partial int MemcpyHtoD(ulong destination, void* source, nuint bytes);

    /// <summary>Device to host on the legacy default stream: synchronous with earlier launches on that stream.</summary>
    [LibraryImport(Library, EntryPoint = "cuMemcpyDtoH_v2")]
    public static partial int MemcpyDtoH(void* destination, ulong source, nuint bytes);

    [LibraryImport(Library, EntryPoint = "cuMemsetD8_v2")]
    public static partial int MemsetD8(ulong destination, byte value, nuint count);

    /// <summary>Launches on <paramref name="stream"/> (0: the legacy default stream); <paramref name="parameters"/> points at one pointer per kernel parameter, each to the parameter's value.</summary>
    [LibraryImport(Library, EntryPoint = "cuLaunchKernel")]
    public static partial int LaunchKernel(nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedBytes, nint stream, void** parameters, void** extra);

    [LibraryImport(Library, EntryPoint = "cuGetErrorName")]
    public static partial int GetErrorName(int error, byte** name);

    [LibraryImport(Library, EntryPoint = "cuGetErrorString")]
    public static partial int GetErrorString(int error, byte** text);
}
