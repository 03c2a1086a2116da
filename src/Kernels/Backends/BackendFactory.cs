using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace TabularRL.Kernels.Backends;

/// <summary>Creates a backend from its <c>--backend</c> name; no global state, the caller owns the instance.</summary>
/// <remarks>
/// The CUDA backend lives in its own assembly, TabularRL.Cuda, so that nothing else loads native GPU libraries
/// (STYLE.md). This assembly does not reference it: <c>cuda</c> and <c>auto</c> look up
/// <c>TabularRL.Cuda.CudaBackendProvider</c> by name, which loads the assembly only then; the
/// <see cref="DynamicDependencyAttribute"/> keeps the provider when an application that ships TabularRL.Cuda (the CLI
/// references it) is trimmed.
/// </remarks>
public static class BackendFactory
{
    private const string CudaProviderType = "TabularRL.Cuda.CudaBackendProvider";
    private const string CudaAssembly = "TabularRL.Cuda";

    /// <summary>The names accepted by <see cref="Create(string)"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "cpu", "cuda", "reference"];

    /// <summary>Creates the named backend; <c>auto</c> picks the fastest available one.</summary>
    /// <param name="name">One of <see cref="Names"/>, case-insensitive.</param>
    /// <exception cref="ArgumentException">The name is unknown or the backend is not available here.</exception>
    public static IBellmanBackend Create(string name) => Create(name, out _);

    /// <summary>Creates the named backend and, when <c>auto</c> did not choose CUDA, says why.</summary>
    /// <param name="name">One of <see cref="Names"/>, case-insensitive.</param>
    /// <param name="note">For <c>auto</c> falling back to the CPU: "cuda not used: reason"; otherwise null.</param>
    /// <exception cref="ArgumentException">The name is unknown or the backend is not available here (the message gives the reason).</exception>
    public static IBellmanBackend Create(string name, out string? note)
    {
        note = null;
        switch (name.Trim().ToLowerInvariant())
        {
            case "auto":
                // CUDA when a driver and a device are present, else the CPU backend.
                if (TryCreateCuda(out var gpu, out string why)) return gpu!;
                note = $"cuda not used: {why}";
                return new CpuBackend();
            case "cpu":
                return new CpuBackend();
            case "reference":
                return new ReferenceBackend();
            case "cuda":
                if (TryCreateCuda(out var cuda, out string reason)) return cuda!;
                throw new ArgumentException($"backend 'cuda' is not available: {reason}", nameof(name));
            default:
                throw new ArgumentException($"unknown backend '{name}' (expected one of {string.Join(", ", Names)})", nameof(name));
        }
    }

    /// <summary>Asks TabularRL.Cuda for a backend, if that assembly is present; never throws.</summary>
    /// <param name="backend">The CUDA backend, or null.</param>
    /// <param name="reason">Why not, in one line, when null.</param>
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, CudaProviderType, CudaAssembly)]
    public static bool TryCreateCuda(out IBellmanBackend? backend, out string reason)
    {
        backend = null;
        Type? provider;
        try
        {
            provider = Type.GetType($"{CudaProviderType}, {CudaAssembly}", throwOnError: false);
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException)
        {
            reason = $"{CudaAssembly}.dll could not be loaded: {e.Message}";
            return false;
        }
        var method = provider?.GetMethod("TryCreate", BindingFlags.Public | BindingFlags.Static);
        if (method is null)
        {
            reason = $"this build does not include {CudaAssembly}.dll";
            return false;
        }
        object?[] arguments = [null];
        try
        {
            backend = method.Invoke(null, arguments) as IBellmanBackend;
        }
        catch (TargetInvocationException e)
        {
            reason = (e.InnerException ?? e).Message.ReplaceLineEndings(" ");
            return false;
        }
        reason = backend is null ? (arguments[0] as string ?? "the CUDA backend could not be created") : "";
        return backend is not null;
    }
}
