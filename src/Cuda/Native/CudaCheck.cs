using System.Runtime.InteropServices;

namespace TabularRL.Cuda.Native;

/// <summary>Turns the status codes of driver and NVRTC calls into <see cref="CudaException"/>s that name the call.</summary>
internal static unsafe class CudaCheck
{
    /// <summary>Throws unless <paramref name="result"/> is CUDA_SUCCESS.</summary>
    /// <param name="result">The CUresult.</param>
    /// <param name="call">The C name of the call, e.g. <c>cuMemAlloc_v2</c>.</param>
    public static void Driver(int result, string call)
    {
        if (result != 0) throw new CudaException(DriverMessage(result, call));
    }

    /// <summary>Throws unless <paramref name="result"/> is NVRTC_SUCCESS.</summary>
    public static void Nvrtc(int result, string call)
    {
        if (result != 0) throw new CudaException($"{call} failed: {NvrtcName(result)} ({result})");
    }

    /// <summary>"call failed: CUDA_ERROR_X (n): description", with the driver's own words where it can give them.</summary>
    public static string DriverMessage(int result, string call)
    {
        string name = $"CUresult {result}", text = "";
        try
        {
            byte* p;
            if (CudaDriver.GetErrorName(result, &p) == 0 && p != null) name = Marshal.PtrToStringUTF8((nint)p) ?? name;
            if (CudaDriver.GetErrorString(result, &p) == 0 && p != null) text = Marshal.PtrToStringUTF8((nint)p) ?? "";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Only reachable when the library vanished between the failing call and this one; the number still says what failed.
        }
        return text.Length > 0 ? $"{call} failed: {name} ({result}): {text}" : $"{call} failed: {name} ({result})";
    }

    private static string NvrtcName(int result)
    {
        try
        {
            byte* p = Native.Nvrtc.GetErrorString(result);
            if (p != null) return Marshal.PtrToStringUTF8((nint)p) ?? $"nvrtcResult {result}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
        return $"nvrtcResult {result}";
    }
}
