using System.Runtime.InteropServices;

namespace TabularRL.Cuda.Native;

/// <summary>The entry points of NVRTC, CUDA's run-time compiler (CUDA C to PTX), that the backend uses.</summary>
/// <remarks>
/// Signatures from nvrtc.h (CUDA 11.2 and later; <c>nvrtcGetNumSupportedArchs</c>/<c>nvrtcGetSupportedArchs</c>
/// appeared in 11.2). The library's soname carries the CUDA version (<c>libnvrtc.so.12</c>, <c>libnvrtc.so.11.2</c>),
/// so the import names a logical library, <see cref="Library"/>, that <see cref="NativeLibraries"/> resolves over
/// <see cref="NativeLibraries.NvrtcCandidates"/>. Every call returns an <c>nvrtcResult</c>, 0 on success.
/// NOT VERIFIED ON A GPU MACHINE: compiled and checked against nvrtc.h by reading only.
/// </remarks>
internal static unsafe partial class Nvrtc
{
    /// <summary>The logical name the resolver maps to an installed libnvrtc.</summary>
    public const string Library = "tabrl-nvrtc";

    /// <summary>NVRTC_ERROR_COMPILATION: the program log says why.</summary>
    public const int ErrorCompilation = 6;

    [LibraryImport(Library, EntryPoint = "nvrtcVersion")]
    public static partial int Version(int* major, int* minor);

    [LibraryImport(Library, EntryPoint = "nvrtcGetNumSupportedArchs")]
    public static partial int GetNumSupportedArchs(int* count);

    [LibraryImport(Library, EntryPoint = "nvrtcGetSupportedArchs")]
    public static partial int GetSupportedArchs(int* architectures);

    [LibraryImport(Library, EntryPoint = "nvrtcCreateProgram")]
    public static partial int CreateProgram(nint* program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);

    [LibraryImport(Library, EntryPoint = "nvrtcCompileProgram")]
    public static partial int CompileProgram(nint program, int optionCount, byte** options);

    /// <summary>The PTX size in bytes, including the terminating NUL.</summary>
    [LibraryImport(Library, EntryPoint = "nvrtcGetPTXSize")]
    public static partial int GetPtxSize(nint program, nuint* size);

    [LibraryImport(Library, EntryPoint = "nvrtcGetPTX")]
    public static partial int GetPtx(nint program, byte* ptx);

    [LibraryImport(Library, EntryPoint = "nvrtcGetProgramLogSize")]
    public static partial int GetProgramLogSize(nint program, nuint* size);

    [LibraryImport(Library, EntryPoint = "nvrtcGetProgramLog")]
    public static partial int GetProgramLog(nint program, byte* log);

    [LibraryImport(Library, EntryPoint = "nvrtcDestroyProgram")]
    public static partial int DestroyProgram(nint* program);

    /// <summary>A static string naming the result (nvrtcGetErrorString returns the enumerator's name, e.g. NVRTC_ERROR_COMPILATION).</summary>
    [LibraryImport(Library, EntryPoint = "nvrtcGetErrorString")]
    public static partial byte* GetErrorString(int result);
}
