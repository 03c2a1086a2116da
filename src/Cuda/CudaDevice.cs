using System.Text;
using TabularRL.Cuda.Native;

namespace TabularRL.Cuda;

/// <summary>One CUDA device with its primary context retained; the entry point that says whether CUDA can be used here.</summary>
/// <remarks>
/// <see cref="TryOpen(out CudaDevice?, out string)"/> never throws for a machine without CUDA: a missing
/// <c>libcuda.so.1</c>, a failing <c>cuInit</c> and zero devices each give a one-line reason. Device 0 is used unless
/// <c>TABRL_CUDA_DEVICE</c> names another ordinal. NOT VERIFIED ON A GPU: the path through a real driver has not run;
/// the no-driver path is tested.
/// </remarks>
public sealed unsafe class CudaDevice : IDisposable
{
    private bool _disposed;

    private CudaDevice(int ordinal, int handle, nint context, string name, int major, int minor, int multiprocessors, int driverVersion)
    {
        Ordinal = ordinal;
        Handle = handle;
        Context = context;
        Name = name;
        ComputeCapability = (major, minor);
        MultiprocessorCount = multiprocessors;
        DriverVersion = driverVersion;
    }

    /// <summary>The device ordinal.</summary>
    public int Ordinal { get; }

    /// <summary>The device name the driver reports, e.g. "NVIDIA H100 80GB HBM3".</summary>
    public string Name { get; }

    /// <summary>Compute capability (major, minor), e.g. (9, 0).</summary>
    public (int Major, int Minor) ComputeCapability { get; }

    /// <summary>The compute capability as NVRTC's architecture number, e.g. 90.</summary>
    public int Architecture => ComputeCapability.Major * 10 + ComputeCapability.Minor;

    /// <summary>Streaming multiprocessors.</summary>
    public int MultiprocessorCount { get; }

    /// <summary>The driver's CUDA version as cuDriverGetVersion reports it (1000 major + 10 minor, e.g. 12040).</summary>
    public int DriverVersion { get; }

    /// <summary>The driver's CUDA version as text, e.g. "12.4".</summary>
    public string DriverVersionText => $"{DriverVersion / 1000}.{DriverVersion % 1000 / 10}";

    internal int Handle { get; }

    internal nint Context { get; }

    /// <summary>Opens a device, or says in one line why CUDA cannot be used here.</summary>
    /// <param name="device">The device, or null.</param>
    /// <param name="reason">Empty on success; otherwise why not, e.g. "libcuda.so.1 not found (no NVIDIA driver installed)".</param>
    public static bool TryOpen(out CudaDevice? device, out string reason)
    {
        device = null;
        try
        {
            return TryOpenCore(out device, out reason);
        }
        catch (DllNotFoundException)
        {
            reason = $"{CudaDriver.Library} not found (no NVIDIA driver is installed on this machine)";
        }
        catch (EntryPointNotFoundException e)
        {
            reason = $"{CudaDriver.Library} lacks an entry point the backend needs (driver older than CUDA 11?): {OneLine(e.Message)}";
        }
        catch (CudaException e)
        {
            reason = OneLine(e.Message);
        }
        return false;
    }

    private static bool TryOpenCore(out CudaDevice? device, out string reason)
    {
        device = null;
        int result = CudaDriver.Init(0);
        if (result == 100)
        {
            reason = "the NVIDIA driver reports no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE)";
            return false;
        }
        if (result != 0)
        {
            reason = CudaCheck.DriverMessage(result, "cuInit");
            return false;
        }
        int driverVersion, count;
        CudaCheck.Driver(CudaDriver.DriverGetVersion(&driverVersion), "cuDriverGetVersion");
        CudaCheck.Driver(CudaDriver.DeviceGetCount(&count), "cuDeviceGetCount");
        if (count == 0)
        {
            reason = "the NVIDIA driver reports no CUDA device (cuDeviceGetCount: 0)";
            return false;
        }
        int ordinal = 0;
        string? asked = Environment.GetEnvironmentVariable("TABRL_CUDA_DEVICE");
        if (!string.IsNullOrWhiteSpace(asked) && (!int.TryParse(asked, out ordinal) || ordinal < 0 || ordinal >= count))
        {
            reason = $"TABRL_CUDA_DEVICE='{asked}' is not a device ordinal in [0, {count})";
            return false;
        }
        int handle, major, minor, multiprocessors;
        CudaCheck.Driver(CudaDriver.DeviceGet(&handle, ordinal), "cuDeviceGet");
        byte* name = stackalloc byte[256];
        CudaCheck.Driver(CudaDriver.DeviceGetName(name, 256, handle), "cuDeviceGetName");
        CudaCheck.Driver(CudaDriver.DeviceGetAttribute(&major, CudaDriver.AttributeComputeCapabilityMajor, handle), "cuDeviceGetAttribute");
        CudaCheck.Driver(CudaDriver.DeviceGetAttribute(&minor, CudaDriver.AttributeComputeCapabilityMinor, handle), "cuDeviceGetAttribute");
        CudaCheck.Driver(CudaDriver.DeviceGetAttribute(&multiprocessors, CudaDriver.AttributeMultiprocessorCount, handle), "cuDeviceGetAttribute");
        nint context;
        CudaCheck.Driver(CudaDriver.DevicePrimaryCtxRetain(&context, handle), "cuDevicePrimaryCtxRetain");
        device = new CudaDevice(ordinal, handle, context, Utf8(name, 256), major, minor, multiprocessors, driverVersion);
        reason = "";
        return true;
    }

    /// <summary>Makes this device's primary context current on the calling thread (every backend call does this first).</summary>
    internal void MakeCurrent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CudaCheck.Driver(CudaDriver.CtxSetCurrent(Context), "cuCtxSetCurrent");
    }

    /// <summary>"NVIDIA H100 80GB HBM3 (compute 9.0, driver CUDA 12.4)".</summary>
    public override string ToString() => $"{Name} (compute {ComputeCapability.Major}.{ComputeCapability.Minor}, driver CUDA {DriverVersionText})";

    /// <summary>Releases the primary context.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CudaDriver.DevicePrimaryCtxRelease(Handle);
    }

    private static string Utf8(byte* text, int capacity)
    {
        int length = 0;
        while (length < capacity && text[length] != 0) length++;
        return Encoding.UTF8.GetString(text, length);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
