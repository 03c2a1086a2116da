namespace TabularRL.Cuda.Native;

/// <summary>A CUDA driver or NVRTC call failed; the message names the call and the error.</summary>
public sealed class CudaException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Names the call, the error's name and its description.</param>
    public CudaException(string message)
        : base(message)
    {
    }
}
