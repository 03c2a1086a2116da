using System.Diagnostics;
using System.Text.RegularExpressions;
using TabularRL.Cuda;
using TabularRL.Cuda.Native;
using TabularRL.Tests.Backends;

namespace TabularRL.Tests.Cuda;

/// <summary>
/// The host side of the CUDA backend that can be checked without a GPU: the embedded kernel sources and the entry
/// points and parameter kinds the host launches, the argument slots handed to cuLaunchKernel, the NVRTC soname
/// candidates, the PTX cache key and directory, and the architecture choice.
/// </summary>
public sealed class CudaHostTests
{
    [Fact]
    public void KernelSources_Embedded_EverySourceAndHeaderPresentAndNonEmpty()
    {
        Assert.Equal(["batched.cu", "bellman.cu", "rows.cuh"], KernelSources.Names);
        foreach (string name in KernelSources.Names)
            Assert.True(KernelSources.Text(name).Trim().Length > 100, $"{name} is empty or nearly so");
        foreach (string module in KernelCatalog.ModuleSources.Concat(KernelCatalog.Headers))
            Assert.Contains(module, KernelSources.Names);
    }

    [Fact]
    public void KernelSources_EntryPoints_ExactlyTheCatalogWithTheSameParameterKinds()
    {
        var declared = KernelCatalog.ModuleSources.SelectMany(KernelSources.EntryPoints).ToDictionary(k => k.Name);
        var launched = KernelCatalog.All.ToDictionary(k => k.Name);
        Assert.Equal(launched.Keys.Order(), declared.Keys.Order());
        foreach (var (name, host) in launched)
        {
            var device = declared[name];
            Assert.True(host.Source == device.Source, $"{name}: the host loads it from {host.Source}, it is defined in {device.Source}");
            Assert.True(host.Parameters.SequenceEqual(device.Parameters),
                $"{name}: host marshals ({string.Join(", ", host.Parameters)}), the source declares ({string.Join(", ", device.Parameters)})");
        }
    }

    [Fact]
    public void KernelSources_ReduceThreads_MatchesTheSharedArraySizeInTheSource()
    {
        var m = Regex.Match(KernelSources.Text("bellman.cu"), @"#define\s+TABRL_REDUCE_THREADS\s+(\d+)");
        Assert.True(m.Success, "bellman.cu no longer defines TABRL_REDUCE_THREADS");
        Assert.Equal(KernelCatalog.ReduceThreads, int.Parse(m.Groups[1].Value));
    }

    [Fact]
    public void KernelSources_NoMathHeaderMacros_NvrtcCompilesWithoutHeaders()
    {
        // NVRTC has no math.h: INFINITY, NAN and isfinite would be undefined there (nvcc would accept them).
        foreach (string name in KernelSources.Names)
        {
            string code = Regex.Replace(KernelSources.Text(name), @"//[^\n]*", "").Replace("TABRL_NEG_INF", "");
            foreach (string word in (string[])["INFINITY", "NAN", "isfinite(", "#include <"])
                Assert.False(code.Contains(word), $"{name} uses {word}");
        }
    }

    [Fact]
    public void KernelSources_Hash_EqualsWhatMakePtxComputesInTheShell()
    {
        string kernels = Path.Combine(RepositoryRoot(), "src", "Cuda", "Kernels");
        var start = new ProcessStartInfo("bash", ["-c", "cd \"$1\" && cat $(LC_ALL=C ls *.cu *.cuh | LC_ALL=C sort) | sha256sum | cut -d' ' -f1", "bash", kernels])
        { RedirectStandardOutput = true };
        using var shell = Process.Start(start)!;
        string hash = shell.StandardOutput.ReadToEnd().Trim();
        shell.WaitForExit();
        Assert.Equal(hash, KernelSources.Hash);
    }

    [Fact]
    public void KernelArguments_Slots_HoldEachValueInItsFirstBytesAsCuLaunchKernelReadsThem()
    {
        var arguments = new KernelArguments(KernelCatalog.BatchedUpdate)
            .Int(-3).Double(1e-9).Int(7).Pointer(0xDEAD_BEEF_0000_1000).Pointer(1).Pointer(2).Pointer(3).Pointer(4);
        var slots = arguments.Slots;
        Assert.Equal(8, slots.Length);
        Assert.Equal(-3, BitConverter.ToInt32(BitConverter.GetBytes(slots[0]), 0));
        Assert.Equal(1e-9, BitConverter.Int64BitsToDouble(slots[1]));
        Assert.Equal(7, BitConverter.ToInt32(BitConverter.GetBytes(slots[2]), 0));
        Assert.Equal(0xDEAD_BEEF_0000_1000UL, unchecked((ulong)slots[3]));
        int seen = arguments.WithParameterArray(pointers =>
        {
            unsafe
            {
                var p = (long**)pointers;
                Assert.Equal(-3, *(int*)p[0]);
                Assert.Equal(1e-9, *(double*)p[1]);
                Assert.Equal(0xDEAD_BEEF_0000_1000UL, *(ulong*)p[3]);
                Assert.Equal(4UL, *(ulong*)p[7]);
            }
            return 8;
        });
        Assert.Equal(8, seen);
    }

    [Fact]
    public void KernelArguments_WrongKindOrCount_ThrowsNamingTheKernel()
    {
        var wrongKind = Assert.Throws<InvalidOperationException>(() => new KernelArguments(KernelCatalog.MaxChangeBlocks).Int(5));
        Assert.Contains("max_change_blocks: argument 0 is Int32, the kernel declares Int64", wrongKind.Message);
        var tooMany = Assert.Throws<InvalidOperationException>(() => new KernelArguments(KernelCatalog.MaxChangeFinal).Int(1).Pointer(1).Pointer(2).Pointer(3));
        Assert.Contains("max_change_final: more than 3 arguments", tooMany.Message);
        var incomplete = Assert.Throws<InvalidOperationException>(() => new KernelArguments(KernelCatalog.MaxChangeFinal).Int(1).WithParameterArray(_ => 0));
        Assert.Contains("max_change_final: 1 arguments given, the kernel takes 3", incomplete.Message);
    }

    [Fact]
    public void NvrtcCandidates_Environment_ExplicitPathFirstThenSonamesThenCudaDirectories()
    {
        var environment = new Dictionary<string, string> { ["TABRL_NVRTC"] = "/opt/x/libnvrtc.so.12.4", ["CUDA_HOME"] = "/opt/cuda" };
        var candidates = NativeLibraries.NvrtcCandidates(k => environment.GetValueOrDefault(k)).ToList();
        Assert.Equal("/opt/x/libnvrtc.so.12.4", candidates[0]);
        Assert.Equal(["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so.11.1", "libnvrtc.so.11.0", "libnvrtc.so"], candidates.Skip(1).Take(6));
        Assert.Contains("/opt/cuda/lib64/libnvrtc.so.12", candidates);
        Assert.Contains("/usr/local/cuda/lib64/libnvrtc.so.11.2", candidates);
        Assert.True(candidates.IndexOf("/opt/cuda/lib64/libnvrtc.so.12") < candidates.IndexOf("/usr/local/cuda/lib64/libnvrtc.so.12"));
        var plain = NativeLibraries.NvrtcCandidates(_ => null);
        Assert.Equal("libnvrtc.so.13", plain[0]);
        Assert.Equal(plain.Count, plain.Distinct().Count());
    }

    [Fact]
    public void CacheKey_SameInputs_StableAndChangesWithEachInput()
    {
        string key = PtxSource.CacheKey("bellman.cu", 90, "12.4", KernelSources.Hash);
        Assert.Equal(key, PtxSource.CacheKey("bellman.cu", 90, "12.4", KernelSources.Hash));
        Assert.Equal($"bellman.compute_90.nvrtc12.4.{KernelSources.Hash[..16]}.ptx", key);
        Assert.NotEqual(key, PtxSource.CacheKey("batched.cu", 90, "12.4", KernelSources.Hash));
        Assert.NotEqual(key, PtxSource.CacheKey("bellman.cu", 80, "12.4", KernelSources.Hash));
        Assert.NotEqual(key, PtxSource.CacheKey("bellman.cu", 90, "12.6", KernelSources.Hash));
        Assert.NotEqual(key, PtxSource.CacheKey("bellman.cu", 90, "12.4", new string('0', 64)));
        Assert.Matches("^[0-9a-f]{64}$", KernelSources.Hash);
    }

    [Fact]
    public void CacheDirectory_XdgOrHome_UnderTabrlPtx()
    {
        Assert.Equal("/x/cache/tabrl/ptx", PtxSource.CacheDirectory(k => k == "XDG_CACHE_HOME" ? "/x/cache" : "/home/u"));
        Assert.Equal("/home/u/.cache/tabrl/ptx", PtxSource.CacheDirectory(k => k == "HOME" ? "/home/u" : null));
    }

    [Fact]
    public void ChooseArchitecture_SupportedList_LargestNotAboveTheDevice()
    {
        int[] supported = [50, 60, 70, 75, 80, 86, 89, 90];
        Assert.Equal(90, PtxSource.ChooseArchitecture(supported, 90));
        Assert.Equal(90, PtxSource.ChooseArchitecture(supported, 100));
        Assert.Equal(86, PtxSource.ChooseArchitecture(supported, 87));
        Assert.Equal(0, PtxSource.ChooseArchitecture(supported, 35));
    }

    [Fact]
    public void ShippedPtx_WhatTheBuildCarries_NamesParseAndRecordTheCurrentSourceHash()
    {
        // Empty until benchmarks/gpu/make_ptx.sh has run on a CUDA machine; then every file must match the sources.
        foreach (var (stem, architecture, resource) in KernelSources.ShippedPtx())
        {
            Assert.Contains(stem + ".cu", KernelCatalog.ModuleSources);
            Assert.True(architecture >= 50, resource);
            Assert.StartsWith(PtxSource.HashMarker + KernelSources.Hash, KernelSources.ShippedPtxText(resource));
        }
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TabularRL.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("TabularRL.sln not found above the test binaries");
    }
}

/// <summary>Selection and the no-driver path (CudaDevice, the provider hook, BackendFactory) as they behave on this machine.</summary>
public sealed class CudaSelectionTests
{
    [NoCudaFact]
    public void TryOpen_NoDriver_FalseWithOneLineReason()
    {
        Assert.False(CudaDevice.TryOpen(out var device, out string reason));
        Assert.Null(device);
        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.DoesNotContain('\n', reason);
        if (!File.Exists("/usr/lib/x86_64-linux-gnu/libcuda.so.1") && !File.Exists("/usr/lib64/libcuda.so.1"))
            Assert.Equal("libcuda.so.1 not found (no NVIDIA driver is installed on this machine)", reason);
    }

    [NoCudaFact]
    public void Provider_NoDriver_NullWithTheSameReason()
    {
        Assert.Null(CudaBackendProvider.TryCreate(out string reason));
        Assert.Equal(CudaAvailability.Reason, reason);
    }

    [NoCudaFact]
    public void CudaBackend_NoDriver_ThrowsSayingWhy()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new CudaBackend());
        Assert.Equal($"CUDA is not available: {CudaAvailability.Reason}", e.Message);
    }

    [NoCudaFact]
    public void Factory_CudaWithoutDriver_ArgumentExceptionWithTheReason()
    {
        var e = Assert.Throws<ArgumentException>(() => TabularRL.Kernels.Backends.BackendFactory.Create("cuda"));
        Assert.StartsWith($"backend 'cuda' is not available: {CudaAvailability.Reason}", e.Message);
    }

    [NoCudaFact]
    public void Factory_AutoWithoutDriver_CpuAndANoteSayingWhyNotCuda()
    {
        using var backend = TabularRL.Kernels.Backends.BackendFactory.Create("AUTO", out string? note);
        Assert.Equal("cpu", backend.Name);
        Assert.Equal($"cuda not used: {CudaAvailability.Reason}", note);
    }

    [Fact]
    public void Factory_CpuAndReference_NoNoteAndNoCudaLookup()
    {
        foreach (string name in (string[])["cpu", "reference"])
        {
            using var backend = TabularRL.Kernels.Backends.BackendFactory.Create(name, out string? note);
            Assert.Equal(name, backend.Name);
            Assert.Null(note);
        }
    }

    [NoCudaFact]
    public void PtxSource_NeitherNvrtcNorShippedPtx_ExceptionSaysBothAreMissing()
    {
        if (NativeLibraries.TryLoadNvrtc(out _) || KernelSources.ShippedPtx().Count > 0)
            return; // this machine has one of them: the message below cannot arise here
        var e = Assert.Throws<CudaException>(() => PtxSource.Get("bellman.cu", 90, out _));
        Assert.Contains("NVRTC not found (tried libnvrtc.so.13, libnvrtc.so.12", e.Message);
        Assert.Contains("this build ships no PTX for bellman.cu at compute_90 or below (generate it with benchmarks/gpu/make_ptx.sh)", e.Message);
    }

    [Fact]
    public void CudaAssembly_NotLoadedByKernelsOrEngine_OnlyByName()
    {
        // STYLE.md: nothing but the GPU backend's own assembly loads native GPU libraries, so neither Kernels nor the
        // Engine may reference TabularRL.Cuda (BackendFactory finds it by name).
        foreach (var assembly in new[] { typeof(TabularRL.Kernels.IBellmanBackend).Assembly, typeof(TabularRL.Engine.Model.Mdp).Assembly })
            Assert.DoesNotContain(assembly.GetReferencedAssemblies(), a => a.Name == "TabularRL.Cuda");
    }
}
