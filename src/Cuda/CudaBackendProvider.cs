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
        catch (Exception e)
        {
            // Anything that stops the backend from starting (no driver, no device, no NVRTC and no shipped PTX, a
            // failed compilation or module load) is a reason to report, never a crash: auto then runs the CPU backend.
            string message = e.Message.ReplaceLineEndings(" ");
            reason = e is InvalidOperationException && message.StartsWith("CUDA is not available: ", StringComparison.Ordinal)
                ? message["CUDA is not available: ".Length..]
                : e is Native.CudaException or InvalidOperationException ? message : $"{e.GetType().Name}: {message}";
            return null;
        }
    }
}
