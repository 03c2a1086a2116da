using TabularRL.Cuda;

namespace TabularRL.Tests.Backends;

/// <summary>Whether this machine can run the CUDA backend, asked once per test run; the reason when not.</summary>
internal static class CudaAvailability
{
    private static readonly Lazy<(bool Present, string Reason)> State = new(() =>
    {
        if (!CudaDevice.TryOpen(out var device, out string reason)) return (false, reason);
        string name = device!.ToString();
        device.Dispose();
        return (true, name);
    });

    /// <summary>Whether a driver and a device are present.</summary>
    public static bool Present => State.Value.Present;

    /// <summary>Why not (e.g. "libcuda.so.1 not found ..."), or the device's description when present.</summary>
    public static string Reason => State.Value.Reason;

    /// <summary>The skip message of a test that needs a device.</summary>
    public static string? SkipUnlessPresent => Present ? null : $"CUDA backend not tested on this machine: {Reason}";

    /// <summary>The skip message of a test of the no-CUDA path.</summary>
    public static string? SkipIfPresent => Present ? $"this machine has CUDA ({Reason}); the no-driver path is tested elsewhere" : null;
}

/// <summary>A fact that runs only where a CUDA device is present, and is reported as skipped with the reason elsewhere.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        Skip = CudaAvailability.SkipUnlessPresent;
    }
}

/// <summary>A theory that runs only where a CUDA device is present, and is reported as skipped with the reason elsewhere.</summary>
public sealed class CudaTheoryAttribute : TheoryAttribute
{
    public CudaTheoryAttribute()
    {
        Skip = CudaAvailability.SkipUnlessPresent;
    }
}

/// <summary>A fact about the machine without CUDA (missing driver or device); skipped, saying so, where CUDA is present.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        Skip = CudaAvailability.SkipIfPresent;
    }
}
