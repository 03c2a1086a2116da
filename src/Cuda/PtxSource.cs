using System.Runtime.InteropServices;
using System.Text;
using TabularRL.Cuda.Native;

namespace TabularRL.Cuda;

/// <summary>Gets the PTX of one module for a device: compiled by NVRTC (and cached on disk), or shipped in the assembly.</summary>
/// <remarks>
/// Order: (1) NVRTC, when a libnvrtc loads, compiling for <c>compute_XY</c>, XY the largest architecture NVRTC supports
/// that is at most the device's compute capability (PTX for an older virtual architecture runs on newer devices through
/// the driver's JIT); the PTX is cached under <see cref="CacheDirectory"/>, keyed by module, architecture, NVRTC
/// version and the hash of every kernel source (<see cref="CacheKey"/>), so a source change never reads stale PTX.
/// (2) PTX shipped in the assembly (<c>src/Cuda/Ptx/&lt;module&gt;.compute_XY.ptx</c>, made by benchmarks/gpu/make_ptx.sh
/// from the same sources), the largest XY at most the device's, and only if its recorded source hash matches.
/// (3) Otherwise a <see cref="CudaException"/> saying that neither is present.
/// NOT VERIFIED ON A GPU MACHINE: no NVRTC call has run, no PTX has been produced or cached, none is shipped yet.
/// </remarks>
internal static unsafe class PtxSource
{
    /// <summary>The first line make_ptx.sh writes into shipped PTX, followed by the source hash.</summary>
    public const string HashMarker = "// tabrl-sources-sha256: ";

    /// <summary>NVRTC options besides the architecture: double precision needs nothing special; keep IEEE division and square roots.</summary>
    public static IReadOnlyList<string> Options { get; } = ["--std=c++17", "--fmad=true", "--prec-div=true", "--prec-sqrt=true"];

    /// <summary>Where compiled PTX is cached: $XDG_CACHE_HOME/tabrl/ptx, else ~/.cache/tabrl/ptx.</summary>
    public static string CacheDirectory(Func<string, string?> environment)
    {
        string? xdg = environment("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg) ? xdg
            : Path.Combine(environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "tabrl", "ptx");
    }

    /// <summary>The cache file name for one module: stable for the same sources, architecture and NVRTC, different when any changes.</summary>
    /// <param name="module">The source, e.g. <c>bellman.cu</c>.</param>
    /// <param name="architecture">E.g. 90 for compute_90.</param>
    /// <param name="nvrtcVersion">E.g. <c>12.4</c>.</param>
    /// <param name="sourceHash">From <see cref="KernelSources.Hash"/>.</param>
    public static string CacheKey(string module, int architecture, string nvrtcVersion, string sourceHash)
        => $"{Path.GetFileNameWithoutExtension(module)}.compute_{architecture}.nvrtc{nvrtcVersion}.{sourceHash[..16]}.ptx";

    /// <summary>The largest architecture in <paramref name="supported"/> that is at most <paramref name="device"/>, or 0.</summary>
    public static int ChooseArchitecture(IEnumerable<int> supported, int device)
        => supported.Where(a => a <= device).DefaultIfEmpty(0).Max();

    /// <summary>The PTX text (without a NUL) of <paramref name="module"/> for a device of compute capability <paramref name="deviceArchitecture"/>, and where it came from.</summary>
    public static string Get(string module, int deviceArchitecture, out string origin)
    {
        NativeLibraries.EnsureResolver();
        if (NativeLibraries.TryLoadNvrtc(out string nvrtc))
            return Compile(module, deviceArchitecture, nvrtc, out origin);
        string stem = Path.GetFileNameWithoutExtension(module);
        var shipped = KernelSources.ShippedPtx().Where(p => p.Stem == stem && p.Architecture <= deviceArchitecture)
            .OrderByDescending(p => p.Architecture).ToList();
        foreach (var (_, architecture, resource) in shipped)
        {
            string text = ShippedPtxText(resource, out string? recordedHash);
            if (recordedHash != KernelSources.Hash) continue;
            origin = $"shipped PTX compute_{architecture}";
            return text;
        }
        string what = shipped.Count > 0
            ? $"the shipped PTX for {module} was generated from other sources (rerun benchmarks/gpu/make_ptx.sh)"
            : $"this build ships no PTX for {module} at compute_{deviceArchitecture} or below (generate it with benchmarks/gpu/make_ptx.sh)";
        throw new CudaException($"cannot build the CUDA kernels: {nvrtc}, and {what}");
    }

    private static string ShippedPtxText(string resource, out string? recordedHash)
    {
        string text = KernelSources.ShippedPtxText(resource);
        recordedHash = null;
        if (text.StartsWith(HashMarker, StringComparison.Ordinal))
        {
            int end = text.IndexOf('\n');
            recordedHash = text[HashMarker.Length..(end < 0 ? text.Length : end)].Trim();
        }
        return text;
    }

    private static string Compile(string module, int deviceArchitecture, string nvrtcPath, out string origin)
    {
        int major, minor;
        CudaCheck.Nvrtc(Nvrtc.Version(&major, &minor), "nvrtcVersion");
        string version = $"{major}.{minor}";
        int architecture = deviceArchitecture;
        try
        {
            int count;
            CudaCheck.Nvrtc(Nvrtc.GetNumSupportedArchs(&count), "nvrtcGetNumSupportedArchs");
            var supported = new int[count];
            fixed (int* p = supported) CudaCheck.Nvrtc(Nvrtc.GetSupportedArchs(p), "nvrtcGetSupportedArchs");
            architecture = ChooseArchitecture(supported, deviceArchitecture);
            if (architecture == 0)
                throw new CudaException($"NVRTC {version} supports none of the architectures up to compute_{deviceArchitecture}");
        }
        catch (EntryPointNotFoundException)
        {
            // NVRTC before 11.2 cannot list its architectures; ask for the device's own and let compilation say if it is too new.
        }

        string key = CacheKey(module, architecture, version, KernelSources.Hash);
        string directory = CacheDirectory(Environment.GetEnvironmentVariable);
        string path = Path.Combine(directory, key);
        if (File.Exists(path))
        {
            origin = $"NVRTC {version} compute_{architecture}, cached {path}";
            return File.ReadAllText(path);
        }

        string ptx = RunNvrtc(module, architecture);
        try
        {
            // Write then rename, so a concurrent process never reads half a file.
            Directory.CreateDirectory(directory);
            string temporary = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllText(temporary, ptx);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only cache costs a recompilation next time, nothing more.
        }
        origin = $"NVRTC {version} ({nvrtcPath}) compute_{architecture}, compiled";
        return ptx;
    }

    private static string RunNvrtc(string module, int architecture)
    {
        var allocations = new List<nint>();
        byte* Utf8(string s)
        {
            nint p = Marshal.StringToCoTaskMemUTF8(s);
            allocations.Add(p);
            return (byte*)p;
        }
        nint program = 0;
        try
        {
            var headers = KernelCatalog.Headers;
            byte** headerTexts = stackalloc byte*[headers.Count];
            byte** headerNames = stackalloc byte*[headers.Count];
            for (int i = 0; i < headers.Count; i++)
            {
                headerTexts[i] = Utf8(KernelSources.Text(headers[i]));
                headerNames[i] = Utf8(headers[i]);
            }
            CudaCheck.Nvrtc(Nvrtc.CreateProgram(&program, Utf8(KernelSources.Text(module)), Utf8(module), headers.Count, headerTexts, headerNames), "nvrtcCreateProgram");
            var options = Options.Append($"--gpu-architecture=compute_{architecture}").ToArray();
            byte** optionPointers = stackalloc byte*[options.Length];
            for (int i = 0; i < options.Length; i++) optionPointers[i] = Utf8(options[i]);
            int compiled = Nvrtc.CompileProgram(program, options.Length, optionPointers);
            if (compiled != 0)
            {
                string log = ProgramLog(program);
                throw new CudaException($"nvrtcCompileProgram failed for {module} at compute_{architecture}: {ErrorName(compiled)} ({compiled}){(log.Length > 0 ? ": " + log : "")}");
            }
            nuint size;
            CudaCheck.Nvrtc(Nvrtc.GetPtxSize(program, &size), "nvrtcGetPTXSize");
            var bytes = new byte[(int)size];
            fixed (byte* p = bytes) CudaCheck.Nvrtc(Nvrtc.GetPtx(program, p), "nvrtcGetPTX");
            return Encoding.UTF8.GetString(bytes, 0, Math.Max(0, bytes.Length - 1));
        }
        finally
        {
            if (program != 0) Nvrtc.DestroyProgram(&program);
            foreach (nint p in allocations) Marshal.FreeCoTaskMem(p);
        }
    }

    private static string ProgramLog(nint program)
    {
        nuint size;
        if (Nvrtc.GetProgramLogSize(program, &size) != 0 || size <= 1) return "";
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
            if (Nvrtc.GetProgramLog(program, p) != 0) return "";
        return Encoding.UTF8.GetString(bytes, 0, bytes.Length - 1).Trim().ReplaceLineEndings(" | ");
    }

    private static string ErrorName(int result)
    {
        byte* p = Nvrtc.GetErrorString(result);
        return p == null ? $"nvrtcResult {result}" : Marshal.PtrToStringUTF8((nint)p) ?? $"nvrtcResult {result}";
    }
}
