using System.Text;
using TabularRL.Cuda.Native;

namespace TabularRL.Cuda;

/// <summary>One loaded module (one kernel source's PTX) and its entry points.</summary>
internal sealed unsafe class CudaModule : IDisposable
{
    private readonly Dictionary<string, nint> _functions = new(StringComparer.Ordinal);
    private nint _module;

    private CudaModule(nint module, string origin)
    {
        _module = module;
        Origin = origin;
    }

    /// <summary>Where the PTX came from (NVRTC compiled or cached, or shipped).</summary>
    public string Origin { get; }

    /// <summary>Gets the PTX of <paramref name="source"/> for <paramref name="device"/> and loads it (the current context must be the device's).</summary>
    public static CudaModule Load(CudaDevice device, string source)
    {
        string ptx = PtxSource.Get(source, device.Architecture, out string origin);
        byte[] image = Encoding.UTF8.GetBytes(ptx + "\0");
        nint module;
        int result;
        fixed (byte* p = image) result = CudaDriver.ModuleLoadData(&module, p);
        if (result == 222)
            throw new CudaException(CudaCheck.DriverMessage(result, "cuModuleLoadData") +
                $" [PTX from {origin}: the NVRTC is newer than driver CUDA {device.DriverVersionText}; use an NVRTC no newer than the driver (TABRL_NVRTC)]");
        CudaCheck.Driver(result, "cuModuleLoadData");
        var loaded = new CudaModule(module, origin);
        foreach (var signature in KernelCatalog.All.Where(k => k.Source == source))
        {
            nint function;
            byte[] name = Encoding.ASCII.GetBytes(signature.Name + "\0");
            fixed (byte* n = name) CudaCheck.Driver(CudaDriver.ModuleGetFunction(&function, module, n), $"cuModuleGetFunction({signature.Name})");
            loaded._functions[signature.Name] = function;
        }
        return loaded;
    }

    /// <summary>Launches <paramref name="arguments"/>' kernel on the default stream over a 1-D grid.</summary>
    public void Launch(KernelArguments arguments, int blocks, int threads)
    {
        if (blocks <= 0) return;
        nint function = _functions[arguments.Signature.Name];
        int result = arguments.WithParameterArray(parameters =>
            CudaDriver.LaunchKernel(function, (uint)blocks, 1, 1, (uint)threads, 1, 1, 0, 0, (void**)parameters, null));
        CudaCheck.Driver(result, $"cuLaunchKernel({arguments.Signature.Name})");
    }

    public void Dispose()
    {
        if (_module == 0) return;
        CudaDriver.ModuleUnload(_module);
        _module = 0;
    }
}
