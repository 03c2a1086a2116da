using System.Reflection;
using System.Runtime.InteropServices;

namespace TabularRL.Cuda.Native;

/// <summary>Finds NVRTC, whose soname depends on the installed CUDA version, through a resolver for this assembly's imports.</summary>
/// <remarks>
/// The resolver handles only <see cref="Nvrtc.Library"/>; <c>libcuda.so.1</c> keeps the runtime's default probing.
/// <c>TABRL_NVRTC</c> may name the library file to use; otherwise the sonames of <see cref="NvrtcSonames"/> are tried
/// on the loader path and then in <c>$CUDA_HOME/lib64</c>, <c>$CUDA_PATH/lib64</c> and <c>/usr/local/cuda/lib64</c>,
/// where a toolkit installed by NVIDIA's packages puts them without adding them to the loader path.
/// </remarks>
internal static class NativeLibraries
{
    /// <summary>NVRTC sonames, newest CUDA first (CUDA 12 keeps <c>.so.12</c> for every minor version; CUDA 11.2 to 11.8 use <c>.so.11.2</c>).</summary>
    public static IReadOnlyList<string> NvrtcSonames { get; } =
        ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so.11.1", "libnvrtc.so.11.0", "libnvrtc.so"];

    private static int _registered;
    private static readonly object Gate = new();
    private static bool _nvrtcProbed;
    private static nint _nvrtcHandle;
    private static string? _nvrtcPath;

    /// <summary>Installs the resolver once per process; later calls do nothing.</summary>
    public static void EnsureResolver()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
    }

    /// <summary>Every path or soname tried for NVRTC, in order, given the environment.</summary>
    /// <param name="environment">Reads an environment variable (the process's in production; a table in tests).</param>
    public static IReadOnlyList<string> NvrtcCandidates(Func<string, string?> environment)
    {
        var candidates = new List<string>();
        string? explicitPath = environment("TABRL_NVRTC");
        if (!string.IsNullOrWhiteSpace(explicitPath)) candidates.Add(explicitPath);
        candidates.AddRange(NvrtcSonames);
        var directories = new List<string>();
        foreach (string variable in (string[])["CUDA_HOME", "CUDA_PATH"])
            if (environment(variable) is { Length: > 0 } root) directories.Add(Path.Combine(root, "lib64"));
        directories.Add("/usr/local/cuda/lib64");
        foreach (string directory in directories.Distinct())
            foreach (string soname in NvrtcSonames)
                candidates.Add(Path.Combine(directory, soname));
        return candidates;
    }

    /// <summary>Loads NVRTC if it has not been tried yet; the path it came from, or null with the list of what was tried.</summary>
    public static bool TryLoadNvrtc(out string description)
    {
        lock (Gate)
        {
            if (!_nvrtcProbed)
            {
                _nvrtcProbed = true;
                foreach (string candidate in NvrtcCandidates(Environment.GetEnvironmentVariable))
                    if (NativeLibrary.TryLoad(candidate, out _nvrtcHandle))
                    {
                        _nvrtcPath = candidate;
                        break;
                    }
            }
            description = _nvrtcPath ?? $"NVRTC not found (tried {string.Join(", ", NvrtcSonames)} on the loader path and in the CUDA lib64 directories; set TABRL_NVRTC to its path)";
            return _nvrtcPath is not null;
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Nvrtc.Library) return 0;
        // A zero handle makes the runtime fall back to its own probing for the logical name, which fails with a
        // DllNotFoundException naming it; callers check TryLoadNvrtc first and never get there.
        return TryLoadNvrtc(out _) ? _nvrtcHandle : 0;
    }
}
