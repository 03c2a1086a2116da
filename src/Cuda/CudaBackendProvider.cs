using TabularRL.Kernels;

namespace TabularRL.Cuda;

/// <summary>The hook through which <c>TabularRL.Kernels.Backends.BackendFactory</c> creates the CUDA backend without referencing this assembly.</summary>
/// <remarks>The factory finds this type by name; keep its name, namespace and the signature of <see cref="TryCreate"/>.</remarks>
public static class CudaBackendProvider
{
    /// <summary>Creates a <see cref="CudaBackend"/>, or says in one line why CUDA cannot be used here; never throws.</summary>
    /// <param name="reason">Empty on success, otherwise the reason (missing driver, no device, no NVRTC and no shipped PTX, ...).</param>
    public static IBellmanBackend? TryCreate(out string reason)
    {
        try
        {
            var backend = new CudaBackend();
            reason = "";
            return backend;
        }
        catch (Exception e) when (e is InvalidOperationException or Native.CudaException or DllNotFoundException or EntryPointNotFoundException)
        {
            reason = e.Message.StartsWith("CUDA is not available: ", StringComparison.Ordinal)
                ? e.Message["CUDA is not available: ".Length..]
                : e.Message.ReplaceLineEndings(" ");
            return null;
        }
    }
}
